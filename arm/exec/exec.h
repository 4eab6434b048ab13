#pragma once
/// Assemble and link Thumb-2 assembly text (or a relocatable object) into one
/// loadable image, and run functions of that image on an emulated Cortex-M4
/// (Unicorn). The calling contract is arm/target/runtime.h: R9 = globals
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
  std::vector<mir::Import> imports;         ///< as given in BuildOptions
  std::map<uint32_t, size_t> stubs;         ///< stub address -> import index
  uint32_t stubBegin = 0, stubEnd = 0;      ///< address range of the stubs (empty if no imports)
  std::vector<OriginRange> originRanges;    ///< origin-marked code (empty unless the asm was marked)

  /// Address of a function: `name` as an assembler symbol, else as a MIR
  /// name (rt::functionSymbol(name)); 0 if neither exists.
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
};

struct RunResult {
  enum class Status : uint8_t { Returned, Trapped, Fault, Exhausted };
  Status status = Status::Fault;
  std::vector<uint64_t> results;  ///< one per result type (i64 from R0:R1)
  mir::TrapReason trap = mir::TrapReason::Unreachable;
  std::string error;  ///< Fault: what went wrong (unmapped access at ADDR, invalid insn, callee-saved r5 not restored, ...)
  uint64_t insns = 0;   ///< instructions executed in the image (stubs excluded); 0 unless countInsns
  uint64_t loads = 0;   ///< data reads of the program, one per word access (LDM/LDRD/POP count each word)
  uint64_t stores = 0;  ///< data writes, counted like loads
  uint64_t hostCalls = 0;  ///< import calls made
  /// With RunOptions::countOrigins: executed instructions inside origin-marked
  /// code, by mir::Origin value (the rest of `insns` is unmarked code).
  std::array<uint64_t, kOriginSlots> originInsns{};
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
/// (one uint64 per param, AAPCS placement incl. i64 pairs and stack args) on
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

}  // namespace vcr::exec
