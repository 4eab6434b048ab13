// The Unicorn engine behind exec::Machine: mappings, hooks and import stubs.
#include "arm/exec/machine.h"
#include "arm/target/target.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <exception>
#include <stdexcept>

namespace vcr::exec {
namespace {

constexpr int kRegs[] = {UC_ARM_REG_R0, UC_ARM_REG_R1, UC_ARM_REG_R2, UC_ARM_REG_R3,
                         UC_ARM_REG_R4, UC_ARM_REG_R5, UC_ARM_REG_R6, UC_ARM_REG_R7,
                         UC_ARM_REG_R8, UC_ARM_REG_R9, UC_ARM_REG_R10, UC_ARM_REG_R11,
                         UC_ARM_REG_R12, UC_ARM_REG_SP, UC_ARM_REG_LR, UC_ARM_REG_PC};

Machine::Impl *implOf(void *user) { return static_cast<Machine::Impl *>(user); }

/// Default NaN mode without an FPU (RunOptions::defaultNaN on cortex-m4):
/// the soft-float routines propagate a NaN operand's payload, as the FPU
/// does with FPSCR.DN clear; a NaN result is made the canonical NaN when
/// its routine returns (the return address noted at the routine's entry).
void canonicalNaNs(uc_engine *uc, Machine::Impl &m, uint64_t addr) {
  auto &pending = m.st.nanReturns;
  while (!pending.empty() && pending.back().first == addr) {
    uint32_t lo = 0, hi = 0;
    uc_reg_read(uc, UC_ARM_REG_R0, &lo);
    if (pending.back().second) {
      uc_reg_read(uc, UC_ARM_REG_R1, &hi);
      if ((hi & 0x7fffffffu) > 0x7ff00000u || ((hi & 0x7fffffffu) == 0x7ff00000u && lo != 0)) {
        lo = 0;
        hi = 0x7ff80000u;
        uc_reg_write(uc, UC_ARM_REG_R0, &lo);
        uc_reg_write(uc, UC_ARM_REG_R1, &hi);
      }
    } else if ((lo & 0x7fffffffu) > 0x7f800000u) {
      lo = 0x7fc00000u;
      uc_reg_write(uc, UC_ARM_REG_R0, &lo);
    }
    pending.pop_back();
  }
  const auto it = std::lower_bound(m.floatRoutines.begin(), m.floatRoutines.end(), addr,
                                   [](const std::pair<uint32_t, bool> &r, uint64_t a) { return r.first < a; });
  if (it == m.floatRoutines.end() || it->first != addr) return;
  uint32_t lr = 0;
  uc_reg_read(uc, UC_ARM_REG_LR, &lr);
  pending.push_back({lr & ~1u, it->second});
}

/// Count instructions in the image (the stubs excluded) and enforce the limit.
void onCode(uc_engine *uc, uint64_t addr, uint32_t, void *user) {
  RunState &st = implOf(user)->st;
  const Image &img = implOf(user)->img;
  if (addr >= img.stubBegin && addr < img.stubEnd) return;
  if (st.insns >= st.opts.insnLimit) {
    st.exhausted = true;
    uc_emu_stop(uc);
    return;
  }
  ++st.insns;
  if (st.opts.defaultNaN && !implOf(user)->floatRoutines.empty()) canonicalNaNs(uc, *implOf(user), addr);
  if (st.opts.countOrigins) {
    const std::vector<uint8_t> &of = implOf(user)->originOf;
    const uint64_t i = (addr - img.base) >> 1;
    if (i < of.size() && of[i] != 0xff) ++st.origins[of[i]];
  }
}

/// cortex-m4 has no FPU, but Unicorn's Cortex-M4 model always has one
/// enabled (there is no CPACR to clear without the SCS): stop before a VFP
/// instruction as the hardware's NOCP UsageFault would.
void onNoFpu(uc_engine *uc, uint64_t addr, uint32_t, void *user) {
  Machine::Impl &m = *implOf(user);
  const uint64_t i = (addr - m.img.base) >> 1;
  if (i >= m.vfpAt.size() || !m.vfpAt[i] || m.st.noFpu) return;
  m.st.noFpu = true;
  m.st.noFpuPc = static_cast<uint32_t>(addr);
  uc_emu_stop(uc);
}

void onStub(uc_engine *, uint64_t addr, uint32_t, void *user) {
  implOf(user)->callImport(static_cast<uint32_t>(addr));
}

void onRead(uc_engine *, uc_mem_type, uint64_t, int, int64_t, void *user) { ++implOf(user)->st.loads; }
void onWrite(uc_engine *, uc_mem_type, uint64_t, int, int64_t, void *user) { ++implOf(user)->st.stores; }

bool onInvalid(uc_engine *, uc_mem_type type, uint64_t addr, int size, int64_t, void *user) {
  RunState &st = implOf(user)->st;
  if (!st.badAccess) {
    st.badAccess = true;
    st.badType = type;
    st.badAddr = addr;
    st.badSize = size;
  }
  return false;
}

void onIntr(uc_engine *uc, uint32_t intno, void *user) {
  RunState &st = implOf(user)->st;
  if (!st.gotIntr) {
    st.gotIntr = true;
    st.intrNo = intno;
    st.intrPc = readReg(uc, mir::PReg::PC);
  }
  uc_emu_stop(uc);
}

}  // namespace

uint32_t readReg(uc_engine *uc, mir::PReg r) {
  uint32_t v = 0;
  uc_reg_read(uc, kRegs[static_cast<size_t>(r)], &v);
  return v;
}

void writeReg(uc_engine *uc, mir::PReg r, uint32_t v) {
  uc_reg_write(uc, kRegs[static_cast<size_t>(r)], &v);
}

uint32_t readSReg(uc_engine *uc, unsigned n) {
  uint32_t v = 0;
  uc_reg_read(uc, UC_ARM_REG_S0 + static_cast<int>(n), &v);
  return v;
}

void writeSReg(uc_engine *uc, unsigned n, uint32_t v) {
  uc_reg_write(uc, UC_ARM_REG_S0 + static_cast<int>(n), &v);
}

Machine::Impl::~Impl() {
  if (uc) uc_close(uc);
}

uint32_t Machine::Impl::random() {
  uint64_t z = (st.rng += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return static_cast<uint32_t>((z ^ (z >> 31)) >> 16);
}

bool Machine::Impl::open(bool count, std::string &error) {
  if (uc) uc_close(uc);
  uc = nullptr;
  imageMap = memMap = globalsMap = {};
  // Not UC_MODE_MCLASS: with it Unicorn 2.0.1 ignores uc_ctl_set_cpu_model
  // and always builds a Cortex-M33. The Cortex-M models are M profile by
  // their own features; Thumb state comes from UC_MODE_THUMB.
  uc_err e = uc_open(UC_ARCH_ARM, UC_MODE_THUMB, &uc);
  if (e != UC_ERR_OK) {
    uc = nullptr;
    error = fmt::format("cannot create a Unicorn engine: {}", uc_strerror(e));
    return false;
  }
  counting = count;
  const auto check = [&](uc_err err, std::string_view what) {
    if (err != UC_ERR_OK) error = fmt::format("{}: {}", what, uc_strerror(err));
    return err == UC_ERR_OK;
  };
  const bool m7 = img.cpu == arm::Cpu::CortexM7;
  if (!check(uc_ctl_set_cpu_model(uc, m7 ? UC_CPU_ARM_CORTEX_M7 : UC_CPU_ARM_CORTEX_M4),
             m7 ? "selecting the Cortex-M7 model" : "selecting the Cortex-M4 model"))
    return false;
  const uint32_t lo = img.base & ~0xfffu;
  const uint64_t hi = pageRound(uint64_t{img.base} + img.bytes.size());
  if (!remap(imageMap, lo, static_cast<uint32_t>(hi - lo), error)) return false;
  if (!check(uc_mem_map(uc, kStackTop - kStackSize, kStackSize, UC_PROT_READ | UC_PROT_WRITE),
             "mapping the stack") ||
      !check(uc_mem_map(uc, kSentinelAddr, 0x1000, UC_PROT_ALL), "mapping the sentinel page"))
    return false;
  std::vector<uint8_t> udf(0x1000);
  for (size_t i = 0; i < udf.size(); i += 2) udf[i] = 0xff, udf[i + 1] = 0xde;  // udf #255
  if (!check(uc_mem_write(uc, kSentinelAddr, udf.data(), udf.size()), "filling the sentinel page"))
    return false;
  uc_hook h;
  const uint64_t imgEnd = uint64_t{img.base} + img.bytes.size();
  if (img.stubEnd > img.stubBegin &&
      !check(uc_hook_add(uc, &h, UC_HOOK_CODE, reinterpret_cast<void *>(onStub), this,
                         img.stubBegin, img.stubEnd - 1),
             "adding the stub hook"))
    return false;
  if (!check(uc_hook_add(uc, &h, UC_HOOK_MEM_INVALID, reinterpret_cast<void *>(onInvalid), this, 1, 0),
             "adding the invalid-access hook") ||
      !check(uc_hook_add(uc, &h, UC_HOOK_INTR, reinterpret_cast<void *>(onIntr), this, 1, 0),
             "adding the exception hook"))
    return false;
  if (img.cpu == arm::Cpu::CortexM4) {
    floatRoutines.clear();
    static const struct {
      const char *name;
      bool f64;
    } kFloatRoutines[] = {
        {"__aeabi_fadd", false}, {"__aeabi_fsub", false}, {"__aeabi_fmul", false}, {"__aeabi_fdiv", false},
        {"__aeabi_d2f", false},  {"__aeabi_dadd", true},  {"__aeabi_dsub", true},  {"__aeabi_dmul", true},
        {"__aeabi_ddiv", true},  {"__aeabi_f2d", true},   {"__vcr_fp_fsqrt", false}, {"__vcr_fp_fmin", false},
        {"__vcr_fp_fmax", false}, {"__vcr_fp_fceil", false}, {"__vcr_fp_ffloor", false}, {"__vcr_fp_ftrunc", false},
        {"__vcr_fp_fnearest", false}, {"__vcr_fp_dsqrt", true}, {"__vcr_fp_dmin", true}, {"__vcr_fp_dmax", true},
        {"__vcr_fp_dceil", true}, {"__vcr_fp_dfloor", true}, {"__vcr_fp_dtrunc", true}, {"__vcr_fp_dnearest", true},
        {"__vcr_fp_dadd", true}, {"__vcr_fp_dsub", true}};
    for (const auto &r : kFloatRoutines) {
      const auto &from = std::string_view(r.name).starts_with("__vcr_fp_") ? img.fpRoutines : img.symbols;
      if (auto it = from.find(r.name); it != from.end()) floatRoutines.push_back({it->second, r.f64});
    }
    std::sort(floatRoutines.begin(), floatRoutines.end());
    vfpAt.assign(img.bytes.size() / 2, false);
    uint64_t lo = 0, hi = 0;
    bool any = false;
    for (size_t i = 0; i + 3 < img.bytes.size(); i += 2) {
      const auto hw = [&](size_t k) { return static_cast<uint16_t>(img.bytes[k] | img.bytes[k + 1] << 8); };
      if (!isVfpEncoding(hw(i), hw(i + 2))) continue;
      vfpAt[i / 2] = true;
      if (!any) lo = img.base + i;
      hi = img.base + i;
      any = true;
    }
    if (!any) vfpAt.clear();
    else if (!check(uc_hook_add(uc, &h, UC_HOOK_CODE, reinterpret_cast<void *>(onNoFpu), this, lo, hi),
                    "adding the no-FPU hook"))
      return false;
  }
  if (count && (!check(uc_hook_add(uc, &h, UC_HOOK_CODE, reinterpret_cast<void *>(onCode), this,
                                   img.base, imgEnd - 1),
                       "adding the counting hook") ||
                !check(uc_hook_add(uc, &h, UC_HOOK_MEM_READ, reinterpret_cast<void *>(onRead), this, 1, 0),
                       "adding the load hook") ||
                !check(uc_hook_add(uc, &h, UC_HOOK_MEM_WRITE, reinterpret_cast<void *>(onWrite), this, 1, 0),
                       "adding the store hook")))
    return false;
  return check(uc_mem_write(uc, img.base, img.bytes.data(), img.bytes.size()), "loading the image");
}

bool Machine::Impl::remap(Mapping &m, uint32_t base, uint32_t size, std::string &error) {
  const auto rounded = static_cast<uint32_t>(pageRound(size));
  if (m.base == base && m.size == rounded) return true;
  if (m.size) {
    uc_err e = uc_mem_unmap(uc, m.base, m.size);
    if (e != UC_ERR_OK) {
      error = fmt::format("unmapping 0x{:x}+0x{:x}: {}", m.base, m.size, uc_strerror(e));
      return false;
    }
    m = {};
  }
  if (rounded == 0) return true;
  uc_err e = uc_mem_map(uc, base, rounded, UC_PROT_ALL);
  if (e != UC_ERR_OK) {
    error = fmt::format("mapping 0x{:x}+0x{:x}: {}", base, rounded, uc_strerror(e));
    return false;
  }
  m = {base, rounded};
  return true;
}

bool Machine::Impl::resetMemory(std::string &error) {
  static const std::vector<uint8_t> zeros(kStackSize, 0);
  uc_err e = uc_mem_write(uc, kStackTop - kStackSize, zeros.data(), zeros.size());
  // Rewrite what follows the code (rodata, data, bss): a run may have changed it.
  const uint32_t from = img.stubEnd > img.base ? img.stubEnd - img.base : 0;
  if (e == UC_ERR_OK && from < img.bytes.size())
    e = uc_mem_write(uc, img.base + from, img.bytes.data() + from, img.bytes.size() - from);
  if (e != UC_ERR_OK) error = fmt::format("resetting memory: {}", uc_strerror(e));
  return e == UC_ERR_OK;
}

void Machine::Impl::callImport(uint32_t addr) {
  auto it = img.stubs.find(addr);
  if (it == img.stubs.end() || it->second >= img.imports.size()) {
    st.hostError = fmt::format("jump into the import stub area at 0x{:x}, not at a stub entry", addr);
    uc_emu_stop(uc);
    return;
  }
  const mir::Import &imp = img.imports[it->second];
  if (arm::softFloat(img.cpu))
    for (const auto *ts : {&imp.sig.params, &imp.sig.results})
      for (mir::ValType t : *ts)
        if (mir::isVfpType(t)) {
          st.hostError = fmt::format("import '{}' has f32/f64 values, passed in S/D registers, but {} "
                                     "has no FPU (its floats are i32/i64 words)",
                                     imp.name, arm::cpuName(img.cpu));
          uc_emu_stop(uc);
          return;
        }
  const std::vector<arm::WordLoc> locs = arm::paramLocations(imp.sig);
  const uint32_t sp = readReg(uc, mir::PReg::SP);
  std::vector<uint64_t> ops;  // one per operand: a word, or an f64's 64 bits
  for (const arm::WordLoc &w : locs) {
    uint32_t v[2] = {0, 0};
    if (w.onStack) {
      if (uc_mem_read(uc, uint64_t{sp} + w.offset, v, w.bytes) != UC_ERR_OK) {
        st.hostError = fmt::format("call of import '{}': stack argument at 0x{:x} is unreadable",
                                   imp.name, uint64_t{sp} + w.offset);
        uc_emu_stop(uc);
        return;
      }
    } else if (w.vfp == arm::WordLoc::Vfp::S) {
      v[0] = readSReg(uc, w.vfpReg);
    } else if (w.vfp == arm::WordLoc::Vfp::D) {
      v[0] = readSReg(uc, 2u * w.vfpReg);
      v[1] = readSReg(uc, 2u * w.vfpReg + 1);
    } else {
      v[0] = readReg(uc, w.reg);
    }
    ops.push_back(v[0] | uint64_t{v[1]} << 32);
  }
  std::vector<uint64_t> args;
  size_t k = 0;
  for (mir::ValType t : imp.sig.params) {
    uint64_t v = ops[k++];
    if (t == mir::ValType::I64) v |= ops[k++] << 32;
    args.push_back(v);
  }
  std::vector<uint64_t> results;
  try {
    if (!st.env->host) throw std::runtime_error("no host function set in ExecEnv");
    results = st.env->host(imp, args);
  } catch (const std::exception &ex) {
    st.hostError = fmt::format("host function for import '{}' failed: {}", imp.name, ex.what());
  }
  if (st.hostError.empty() && results.size() != imp.sig.results.size())
    st.hostError = fmt::format("host function for import '{}' returned {} results, expected {}",
                               imp.name, results.size(), imp.sig.results.size());
  if (!st.hostError.empty()) {
    uc_emu_stop(uc);
    return;
  }
  ++st.hostCalls;
  // Each result in its home (docs/mir.md "Several results"): R0-R3, S0-S15 / D0-D7.
  uint32_t resultRegs = 0, resultSRegs = 0;  // bit masks of the homes written
  const std::vector<arm::WordLoc> rlocs = arm::resultLocations(imp.sig);
  for (size_t i = 0, w = 0; i < results.size(); ++i) {
    const auto lo = static_cast<uint32_t>(results[i]), hi = static_cast<uint32_t>(results[i] >> 32);
    const arm::WordLoc &l = rlocs.at(w);
    if (l.onStack) {  // [sp+N] of the caller's outgoing area
      const bool pair = imp.sig.results[i] == mir::ValType::I64;
      const uint32_t halves[2] = {lo, hi};
      uc_mem_write(uc, uint64_t{sp} + l.offset, &halves[0], 4);
      if (l.bytes == 8) uc_mem_write(uc, uint64_t{sp} + l.offset + 4, &halves[1], 4);
      if (pair) uc_mem_write(uc, uint64_t{sp} + rlocs.at(w + 1).offset, &halves[1], 4);
      w += mir::operandsOf(imp.sig.results[i]);
      continue;
    }
    if (l.vfp == arm::WordLoc::Vfp::S) {
      writeSReg(uc, l.vfpReg, lo), resultSRegs |= 1u << l.vfpReg;
    } else if (l.vfp == arm::WordLoc::Vfp::D) {
      writeSReg(uc, 2u * l.vfpReg, lo);
      writeSReg(uc, 2u * l.vfpReg + 1, hi);
      resultSRegs |= 3u << (2u * l.vfpReg);
    } else {
      writeReg(uc, l.reg, lo), resultRegs |= 1u << unsigned(l.reg);
      if (imp.sig.results[i] == mir::ValType::I64) {
        const arm::WordLoc &h = rlocs.at(w + 1);
        writeReg(uc, h.reg, hi), resultRegs |= 1u << unsigned(h.reg);
      }
    }
    w += mir::operandsOf(imp.sig.results[i]);
  }
  if (!st.opts.clobberAtImports) return;
  // The callee owns its area (stack arguments and results): the words that
  // are not results hold garbage afterwards.
  const uint32_t area = arm::calleeAreaBytes(imp.sig);
  for (uint32_t off = 0; off < area; off += 4) {
    bool result = false;
    for (const arm::WordLoc &l : rlocs)
      result |= l.onStack && off >= l.offset && off < l.offset + l.bytes;
    if (result) continue;
    const uint32_t junk = random();
    uc_mem_write(uc, uint64_t{sp} + off, &junk, 4);
  }
  for (unsigned r = 0; r < 4; ++r)
    if (!(resultRegs >> r & 1u)) writeReg(uc, static_cast<mir::PReg>(r), random());
  writeReg(uc, mir::PReg::R12, random());
  uint32_t flags = random() & 0xf0000000u;
  uc_reg_write(uc, UC_ARM_REG_APSR_NZCV, &flags);
  if (arm::softFloat(img.cpu)) return;
  for (unsigned n = 0; n < 16; ++n)  // S0-S15: caller-saved (AAPCS-VFP)
    if (!(resultSRegs >> n & 1u)) writeSReg(uc, n, random());
}

}  // namespace vcr::exec
