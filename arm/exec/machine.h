#pragma once
/// Internal to arm/exec: the state behind exec::Machine (one Unicorn engine,
/// its mappings, and what the hooks record during a run).

#include "arm/exec/exec.h"

#include <unicorn/unicorn.h>

#include <array>
#include <cstdint>
#include <vector>
#include <string>

namespace vcr::exec {

/// A mapped address range [base, base+size), size a multiple of 4 KiB (0: unmapped).
struct Mapping {
  uint32_t base = 0;
  uint32_t size = 0;
};

/// What the hooks observed during one run.
struct RunState {
  mir::ExecEnv *env = nullptr;
  RunOptions opts;
  uint64_t insns = 0, loads = 0, stores = 0, hostCalls = 0;
  std::array<uint64_t, kOriginSlots> origins{};  ///< RunOptions::countOrigins
  bool exhausted = false;
  std::string hostError;  ///< an import call went wrong (the run stopped)
  bool badAccess = false;  ///< an unmapped or protected access
  uc_mem_type badType = UC_MEM_READ_UNMAPPED;
  uint64_t badAddr = 0;
  int badSize = 0;
  bool gotIntr = false;  ///< a CPU exception other than an undefined instruction
  uint32_t intrNo = 0, intrPc = 0;
  bool noFpu = false;  ///< a VFP instruction was reached on cortex-m4 (no FPU)
  uint32_t noFpuPc = 0;
  uint64_t rng = 0;  ///< splitmix64 state for garbage values
  /// RunOptions::defaultNaN on cortex-m4: the return addresses of the
  /// soft-float routines running now, and whether each returns an f64.
  std::vector<std::pair<uint32_t, bool>> nanReturns;
};

struct Machine::Impl {
  Image img;
  uc_engine *uc = nullptr;
  bool counting = false;    ///< the engine's hooks count instructions and accesses
  Mapping imageMap, memMap, globalsMap;
  RunState st;
  /// Origin of each halfword of the image (0xff: none), built on the first
  /// run that counts origins.
  std::vector<uint8_t> originOf;
  /// cortex-m4 only: halfwords of the image where a VFP instruction would
  /// begin (the no-FPU hook stops there); empty when there is none.
  std::vector<bool> vfpAt;
  /// cortex-m4 only: entry address -> returns an f64 (else an f32), of the
  /// routines of the image that compute a float (libgcc's __aeabi_fadd ...,
  /// our __vcr_fp_*): RunOptions::defaultNaN canonicalises their NaN results.
  std::vector<std::pair<uint32_t, bool>> floatRoutines;

  explicit Impl(Image image) : img(std::move(image)) {}
  ~Impl();
  Impl(const Impl &) = delete;
  Impl &operator=(const Impl &) = delete;

  /// (Re)create the engine with the image, stack and sentinel mapped and the
  /// hooks installed (counting hooks only if `count`).
  [[nodiscard]] bool open(bool count, std::string &error);
  /// Make `m` cover exactly [base, base+size rounded up to 4 KiB), remapping if needed.
  [[nodiscard]] bool remap(Mapping &m, uint32_t base, uint32_t size, std::string &error);
  /// Reset memory the previous run may have dirtied (stack, image data).
  [[nodiscard]] bool resetMemory(std::string &error);
  /// Next pseudo-random word (garbage and entry values).
  [[nodiscard]] uint32_t random();
  /// The host side of an import stub at `addr`: args in, results out, clobbers.
  void callImport(uint32_t addr);
};

/// Read / write a core register (R0-R12, SP, LR, PC) of the engine.
[[nodiscard]] uint32_t readReg(uc_engine *uc, mir::PReg r);
void writeReg(uc_engine *uc, mir::PReg r, uint32_t v);
/// Read / write VFP register S`n` (0-31) of the engine.
[[nodiscard]] uint32_t readSReg(uc_engine *uc, unsigned n);
void writeSReg(uc_engine *uc, unsigned n, uint32_t v);

/// True when the Thumb-2 halfwords hw1, hw2 encode a floating-point (VFP)
/// instruction: the coprocessor space (hw1 = 111x 11xx ...) with coprocessor
/// 10 or 11 (hw2 bits 11-9 = 101).
[[nodiscard]] inline bool isVfpEncoding(uint16_t hw1, uint16_t hw2) {
  return (hw1 & 0xEC00u) == 0xEC00u && (hw2 & 0x0E00u) == 0x0A00u;
}

/// Round up to a multiple of 4 KiB (in 64 bits: no overflow).
[[nodiscard]] inline uint64_t pageRound(uint64_t n) { return (n + 0xfff) & ~uint64_t{0xfff}; }

}  // namespace vcr::exec
