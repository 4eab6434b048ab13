#pragma once
/// Assemble and link Thumb-2 assembly text (or a relocatable object) into one
/// loadable image, and run functions of that image on an emulated Cortex-M4
/// or Cortex-M7 (Unicorn), per arm::Cpu: cortex-m4 runs without an FPU (a
/// VFP instruction is a fault), cortex-m4f with FPv4-SP-D16, cortex-m7 with
/// FPv5-D16 (docs/vfp.md, "Execution: built"). The calling contract is arm/target/runtime.h: R9 = globals
/// table, R10 = linear-memory size in bytes, R11 = linear-memory base, traps
/// are `udf #rt::trapCode(reason)`, imports are bound to host stubs named
/// rt::importSymbol(name).
///
/// Memory map of a run (all regions 4 KiB aligned):
///   [memBase, +pages)      linear memory (env.memory), default at 0
///   image.base..           the image (text, import stubs, rodata, data, bss)
///   kGlobalsAddr           globals table (env.globals, one word each)
///   kStackTop - kStackSize the stack; SP starts 8-aligned below kStackTop
///   kSentinelAddr          return address: the run stops when PC gets there

#include "arm/target/cpu.h"
#include "core/ir/diff.h"
#include "core/ir/interp.h"
#include "core/ir/mir.h"

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace vcr::exec {

/// Fixed addresses of the run-time memory map.
inline constexpr uint32_t kGlobalsAddr = 0x20000000;   ///< globals table (R9)
inline constexpr uint32_t kGlobalsMax = 0x00100000;    ///< largest globals table in bytes
inline constexpr uint32_t kStackTop = 0x20200000;      ///< one past the stack
inline constexpr uint32_t kStackSize = 256 * 1024;     ///< stack bytes
inline constexpr uint32_t kSentinelAddr = 0x20300000;  ///< return address of the outer call

struct BuildOptions {
  uint32_t textBase = 0x10000000;          ///< where .text is linked
  std::vector<mir::Import> imports;        ///< bound to host stubs under rt::importSymbol(name)
  std::vector<std::string> extraAsFlags;   ///< added after the default flags rt::kAsFlags
  std::string toolPrefix = "arm-none-eabi-";  ///< prefix of `as` and `ld`
  std::vector<std::string> libraries;      ///< archives linked after the objects (e.g. libgcc.a)
  bool keepTemps = false;                  ///< keep the temp dir (its path goes to BuildResult::tempDir)
  /// Target CPU: cortex-m4 assembles with rt::kAsFlags alone (as always);
  /// cortex-m4f / cortex-m7 add arm::cpuFlags (FPU, hard float) and mark the
  /// object as AAPCS-VFP (Tag_ABI_VFP_args), so that it links with the
  /// hard-float libgcc of libgccFor(cpu). The image runs on this CPU.
  arm::Cpu cpu = arm::Cpu::CortexM4;
};

/// Executed-instruction counters by mir::Origin (index = origin value).
inline constexpr size_t kOriginSlots = 16;
static_assert(static_cast<size_t>(mir::Origin::Frame) < kOriginSlots);

/// Code addresses [begin, end) that expand one allocator-inserted instruction
/// of origin `origin` (from the emitter's origin marks, arm/target/runtime.h).
struct OriginRange {
  uint32_t begin = 0, end = 0;
  uint8_t origin = 0;
};

struct Image {
  std::vector<uint8_t> bytes;  ///< loaded contents (text+stubs+rodata+data, bss zeroed)
  uint32_t base = 0;           ///< address of bytes[0]
  std::map<std::string, uint32_t> symbols;  ///< function symbol -> address (Thumb bit clear)
  std::map<std::string, uint32_t> sizes;    ///< function symbol -> size in bytes (from .size)
  /// Our float runtime's routines (`__vcr_fp_*`, not in `symbols`) -> address.
  std::map<std::string, uint32_t> fpRoutines;
  std::vector<mir::Import> imports;         ///< as given in BuildOptions
  std::map<uint32_t, size_t> stubs;         ///< stub address -> import index
  uint32_t stubBegin = 0, stubEnd = 0;      ///< address range of the stubs (empty if no imports)
  std::vector<OriginRange> originRanges;    ///< origin-marked code (empty unless the asm was marked)
  arm::Cpu cpu = arm::Cpu::CortexM4;        ///< the CPU it was built for, and runs on (BuildOptions::cpu)

  /// Address of a function: `name` as a MIR name (rt::functionSymbol(name)),
  /// else as an assembler symbol; 0 if neither exists. (The MIR name first:
  /// a module function named like a runtime routine is the module's.)
  [[nodiscard]] uint32_t find(std::string_view name) const;
};

struct BuildResult {
  bool ok = false;
  std::string error;    ///< what failed; the tools' stderr verbatim
  std::string tempDir;  ///< only with BuildOptions::keepTemps
  Image image;
};

/// Assemble `asmText` with arm-none-eabi-as and link with arm-none-eabi-ld
/// into one image; tools' stderr goes into `error`.
[[nodiscard]] BuildResult buildImage(std::string_view asmText, const BuildOptions &opts = {});

/// Path of libgcc for Thumb-2 ARMv7E-M soft float (the AEABI soft-float
/// routines, `__aeabi_fadd`, ...), as arm-none-eabi-gcc reports it for
/// -mcpu=cortex-m4 -mfloat-abi=soft -mthumb; "" if that toolchain is missing.
/// Asked once per process.
[[nodiscard]] const std::string &softFloatLibgcc();

/// Path of the libgcc multilib for `cpu` (arm-none-eabi-gcc
/// -print-libgcc-file-name with arm::cpuFlags(cpu) -mthumb): thumb/v7e-m/nofp,
/// thumb/v7e-m+fp/hard, thumb/v7e-m+dp/hard; "" if the toolchain is missing.
/// Asked once per CPU and process; libgccFor(CortexM4) is softFloatLibgcc().
[[nodiscard]] const std::string &libgccFor(arm::Cpu cpu);

/// Same for a relocatable object produced elsewhere (e.g. clang -c output):
/// link + load.
[[nodiscard]] BuildResult buildImageFromObject(const std::string &objectPath,
                                               const BuildOptions &opts = {});

struct RunOptions {
  uint32_t memBase = 0;             ///< where linear memory is mapped (R11); 0 lets native code use wasm offsets as pointers
  uint64_t insnLimit = 200'000'000; ///< instructions before Exhausted
  bool countInsns = true;           ///< UC_HOOK_CODE counter (also loads/stores via UC_HOOK_MEM_READ/WRITE)
  bool clobberAtImports = true;     ///< host stubs write garbage to R0-R3 (non-results), R12 and flags
  uint64_t seed = 0x5eedULL;        ///< seeds the entry values of R4-R8 and the clobber garbage
  bool countOrigins = false;        ///< with countInsns: also count by Image::originRanges (RunResult::originInsns)
  /// On an FPU CPU: entry values of S0, S1, ... in order (an f64 in Dn is
  /// S2n low word, S2n+1 high word); the other S registers start as garbage.
  /// The f32/f64 arguments of a typed signature are placed by AAPCS-VFP
  /// afterwards and override these. Ignored on cortex-m4.
  std::vector<uint32_t> sArgs;
  /// Growable memory (--memory-max): linear memory is mapped at this many
  /// bytes (the maximum), R10 may change (memgrow) and is not checked as
  /// callee-saved, and the memory handed back is R10 bytes long at the stop.
  /// 0: fixed size, mapped at env.memory.size().
  uint64_t memoryMaxBytes = 0;
  /// Default NaN mode: every NaN an operation makes is the canonical
  /// 0x7FC00000 / 0x7FF8000000000000, as the wabt and MIR interpreters give.
  /// On an FPU CPU the run sets FPSCR.DN instead of the hardware's reset
  /// value 0, under which a NaN operand's payload propagates; on cortex-m4
  /// a NaN result of a soft-float routine (libgcc's __aeabi_f*/d*, the
  /// __vcr_fp_* ones), which propagates payloads likewise, is made canonical
  /// as the routine returns. wasm allows either; tools/execute.cpp retries a
  /// disagreeing run this way to tell a difference in NaN bits alone from a
  /// real one.
  bool defaultNaN = false;
};

struct RunResult {
  enum class Status : uint8_t { Returned, Trapped, Fault, Exhausted };
  Status status = Status::Fault;
  std::vector<uint64_t> results;  ///< one per result type (i64 from R0:R1, f32 from S0, f64 from D0)
  mir::TrapReason trap = mir::TrapReason::Unreachable;
  std::string error;  ///< Fault: what went wrong (unmapped access at ADDR, invalid insn, callee-saved r5 not restored, ...)
  uint64_t insns = 0;   ///< instructions executed in the image (stubs excluded); 0 unless countInsns
  uint64_t loads = 0;   ///< data reads of the program, one per word access (LDM/LDRD/POP count each word)
  uint64_t stores = 0;  ///< data writes, counted like loads
  uint64_t hostCalls = 0;  ///< import calls made
  /// With RunOptions::countOrigins: executed instructions inside origin-marked
  /// code, by mir::Origin value (the rest of `insns` is unmarked code).
  std::array<uint64_t, kOriginSlots> originInsns{};
  /// On an FPU CPU: S0-S31 when the run stopped (f32 result in S0, f64 in
  /// D0 = S1:S0); zeros on cortex-m4. A return with S16-S31 changed is a Fault.
  std::array<uint32_t, 32> sregs{};
};

/// Name of a status ("returned", "trapped", "fault", "exhausted").
[[nodiscard]] std::string_view statusName(RunResult::Status s);

/// The interpreter's status for a machine run's (a fault is an Error), so
/// that Unicorn runs compare with mir::compareOutcome.
[[nodiscard]] inline mir::ExecResult::Status asExecStatus(RunResult::Status s) {
  switch (s) {
  case RunResult::Status::Returned: return mir::ExecResult::Status::Returned;
  case RunResult::Status::Trapped: return mir::ExecResult::Status::Trapped;
  case RunResult::Status::Exhausted: return mir::ExecResult::Status::Exhausted;
  case RunResult::Status::Fault: return mir::ExecResult::Status::Error;
  }
  return mir::ExecResult::Status::Error;
}

/// Call `symbol` (an assembler symbol, or a MIR function name) with `args`
/// (one uint64 per param, AAPCS placement incl. i64 pairs and stack args;
/// f32/f64 by AAPCS-VFP in S0-S15 / D0-D7, a Fault on cortex-m4) on
/// linear memory env.memory and globals env.globals (both written back
/// after the run, whatever its status); imports call env.host.
[[nodiscard]] RunResult run(const Image &img, std::string_view symbol, const mir::Signature &sig,
                            std::span<const uint64_t> args, mir::ExecEnv &env,
                            const RunOptions &opts = {});

/// A Unicorn engine bound to one image and reused across runs: a fresh
/// engine costs about 2.3 ms per call, a reused one about 0.15 ms (see the
/// report of arm/exec). Not thread-safe; one Machine per thread.
class Machine {
public:
  /// Keeps its own copy of `img`.
  explicit Machine(Image img);
  ~Machine();
  Machine(const Machine &) = delete;
  Machine &operator=(const Machine &) = delete;

  /// Same contract as the free function run().
  [[nodiscard]] RunResult run(std::string_view symbol, const mir::Signature &sig,
                              std::span<const uint64_t> args, mir::ExecEnv &env,
                              const RunOptions &opts = {});
  /// The image this machine runs.
  [[nodiscard]] const Image &image() const;

  struct Impl;  ///< engine, mappings and hook state (arm/exec/machine.h)

private:
  std::unique_ptr<Impl> impl_;
};

/// Unicorn instructions a step of the MIR interpreter may take when it is a
/// runtime routine (runDiffInput).
inline constexpr uint64_t kRoutineStepInsns = 4000;

/// Run `symbol` on a differential input, starting from its memory and
/// globals (written into `env`, whose host functions are kept), with a
/// budget of `perStep` instructions per step the MIR interpreter took on
/// it plus `slack`. That fits compiled code, not steps that are runtime
/// calls: on cortex-m4 an f64 division or square root is hundreds of
/// instructions (Embench's nbody ran out of 40 per step). So when the
/// budget runs out although the interpreter finished (returned or
/// trapped), the run starts again with kRoutineStepInsns per step: correct
/// code finishes then, and code that never ends is still Exhausted.
[[nodiscard]] RunResult runDiffInput(Machine &machine, std::string_view symbol, const mir::Signature &sig,
                                     const mir::DiffInput &in, mir::ExecEnv &env, RunOptions opts, uint64_t perStep,
                                     uint64_t slack);

}  // namespace vcr::exec
