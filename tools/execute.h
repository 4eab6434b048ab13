#pragma once
/// `verify-alloc --run`: an allocated module becomes Thumb-2 (arm/emit), is
/// assembled and linked (arm/exec, binutils) and every emitted function runs
/// in Unicorn on seeded inputs and on the fixed workloads of its directory
/// (workloads.json). Each run is compared with the vreg MIR interpreter's
/// outcome and, for wasm inputs, that outcome with the wabt interpreter's:
/// results, trap reason, final linear memory and globals. `--native`
/// compiles the C source next to a kernel (clang-14, -O2, for ExecOptions::cpu)
/// and runs its functions on the same workloads: the production-compiler
/// reference. Both build and run for ExecOptions::cpu (arm::cpuFlags, its
/// libgcc multilib, Unicorn's Cortex-M4 or M7 model).

#include "arm/select/wasm_load.h"
#include "arm/target/cpu.h"
#include "core/ir/diag.h"
#include "core/ir/mir.h"

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace vcr::tools {

/// One fixed input of a function (workloads.json).
struct Workload {
  std::vector<uint64_t> args;
  uint64_t memorySeed = 1;  ///< linear memory = randomMemory(size, memorySeed)
};

/// Workloads by function name, for one input file.
using Workloads = std::map<std::string, std::vector<Workload>>;

/// Read the workloads of `inputFile` from workloads.json in its directory
/// ({"file.wasm": {"fn": [{"args": [...], "memory_seed": N}]}}). No file or
/// no entry: empty. A malformed file is a diagnostic naming it.
[[nodiscard]] Workloads loadWorkloads(const std::string &inputFile, Diagnostics &diags);

/// What running one function's emitted code showed.
struct ExecReport {
  std::string status = "ok";   ///< "ok", "declined" (emitter), "error" (build failed)
  std::string reason;          ///< for declined and error
  unsigned runs = 0, agree = 0;
  /// Inputs asked for but not run: the reference interpreter did not finish
  /// them (no expected outcome: endless loops, runaway recursion), so there
  /// is no verdict to compare with (seeded inputs short of ExecOptions::inputs,
  /// plus workloads).
  unsigned noVerdict = 0;
  /// Runs (counted in agree) whose outcome differed from the interpreters'
  /// in NaN bits alone: the same run in default NaN mode (RunOptions::
  /// defaultNaN) agrees. wasm lets a NaN result be any NaN; the hardware
  /// propagates an operand's payload where the interpreters give the
  /// canonical NaN, and integer code may read the bits.
  unsigned nanBitsOnly = 0;
  std::string firstDifference; ///< "input #k (args): what differs", if any
  uint64_t insns = 0, loads = 0, stores = 0;  ///< medians over the measured runs
  bool workload = false;       ///< the medians come from workloads.json (else from the seeded inputs)
  uint32_t codeBytes = 0;      ///< size of the function's machine code
  std::optional<uint64_t> nativeInsns;  ///< clang-14 -O2 on the workloads (--native)
  std::optional<bool> nativeAgree;      ///< native results equal the wasm results
  std::string nativeNote;               ///< why there is no native figure
  /// ExecOptions::countOrigins: executed instructions of allocator-inserted
  /// code by origin name ("spill", "reload", "move", ...), medians like insns.
  std::map<std::string, uint64_t> originInsns;
};

struct ExecOptions {
  unsigned inputs = 20;  ///< seeded inputs per function
  uint64_t seed = 1;
  bool native = false;   ///< also compile and run the sibling .c (kernels)
  bool countOrigins = false;  ///< count executed instructions by origin (ExecReport::originInsns)
  std::string clang = "clang-14";
  arm::Cpu cpu = arm::Cpu::CortexM4;  ///< the CPU code is built for and run on (--cpu; set by the pipeline)
  /// Fault injection for tests: edits the emitted assembly before it is built.
  std::function<void(std::string &asmText)> patchAsm;
};

/// Emit, build and run every function of `allocated` (allocated form of
/// `vreg`; `bin` is the wasm it was selected from, or null for .mir input).
/// Returns one report per function of `allocated`.
[[nodiscard]] std::map<std::string, ExecReport> executeModule(const mir::Module &vreg,
                                                              const mir::Module &allocated,
                                                              const select::WasmBinary *bin,
                                                              const Workloads &workloads,
                                                              const ExecOptions &opt);

/// Compile `cFile` with clang for opt.cpu and run each function that has
/// workloads, recording nativeInsns/nativeAgree (or nativeNote) in `reports`.
void runNative(const std::string &cFile, const mir::Module &vreg, const Workloads &workloads,
               const ExecOptions &opt, std::map<std::string, ExecReport> &reports);

}  // namespace vcr::tools
