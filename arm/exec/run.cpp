// Runs one function of an Image on Unicorn: entry state, classification of the stop, write-back.
#include "arm/exec/machine.h"
#include "arm/target/runtime.h"
#include "arm/target/target.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <optional>
#include <cstring>

namespace vcr::exec {
namespace {

using mir::PReg;

/// A named address range used to reject overlapping mappings.
struct Region {
  std::string_view name;
  uint64_t lo, hi;
};

/// Why the CPU raised exception `no` (QEMU's EXCP_* numbers).
std::string_view exceptionName(uint32_t no) {
  switch (no) {
  case 1: return "undefined instruction";
  case 2: return "svc";
  case 3: return "prefetch abort";
  case 4: return "data abort";
  case 7: return "bkpt";
  case 17: return "coprocessor access (FPU disabled?)";
  case 18: return "invalid state (branch to an ARM-state address?)";
  case 19: return "stack limit";
  default: return "exception";
  }
}

std::string_view accessName(uc_mem_type t) {
  switch (t) {
  case UC_MEM_READ_UNMAPPED: return "unmapped read";
  case UC_MEM_WRITE_UNMAPPED: return "unmapped write";
  case UC_MEM_FETCH_UNMAPPED: return "unmapped fetch";
  case UC_MEM_READ_PROT: return "protected read";
  case UC_MEM_WRITE_PROT: return "protected write";
  case UC_MEM_FETCH_PROT: return "non-executable fetch";
  default: return "invalid access";
  }
}

/// True when `sig` has an f32 or f64 parameter or result (AAPCS-VFP).
bool usesVfpTypes(const mir::Signature &sig) {
  for (const auto *ts : {&sig.params, &sig.results})
    for (mir::ValType t : *ts)
      if (mir::isVfpType(t)) return true;
  return false;
}

/// Check the address ranges of a run; `error` names the two that overlap.
bool checkLayout(const Image &img, uint32_t memBase, uint64_t memBytes, uint64_t globalBytes,
                 std::string &error) {
  if (memBase & 0xfff) {
    error = fmt::format("memBase 0x{:x} is not 4 KiB aligned", memBase);
    return false;
  }
  if (globalBytes > kGlobalsMax) {
    error = fmt::format("{} globals exceed the {}-byte globals table", globalBytes / 4, kGlobalsMax);
    return false;
  }
  const uint64_t imgLo = img.base & ~0xfffu, imgHi = pageRound(uint64_t{img.base} + img.bytes.size());
  std::vector<Region> rs{{"image", imgLo, imgHi},
                         {"globals table", kGlobalsAddr, kGlobalsAddr + kGlobalsMax},
                         {"stack", kStackTop - kStackSize, kStackTop},
                         {"return sentinel", kSentinelAddr, kSentinelAddr + 0x1000},
                         {"Cortex-M system space", 0xE0000000u, uint64_t{1} << 32}};
  if (memBytes) rs.push_back({"linear memory", memBase, memBase + pageRound(memBytes)});
  for (size_t i = 0; i < rs.size(); ++i) {
    if (rs[i].hi > (uint64_t{1} << 32)) {
      error = fmt::format("{} 0x{:x}..0x{:x} extends past 4 GiB", rs[i].name, rs[i].lo, rs[i].hi);
      return false;
    }
    for (size_t j = 0; j < i; ++j)
      if (rs[i].lo < rs[j].hi && rs[j].lo < rs[i].hi) {
        error = fmt::format("{} 0x{:x}..0x{:x} overlaps {} 0x{:x}..0x{:x}", rs[i].name, rs[i].lo,
                            rs[i].hi, rs[j].name, rs[j].lo, rs[j].hi);
        return false;
      }
  }
  return true;
}

/// Copy linear memory and globals back out of the engine.
void writeBack(uc_engine *uc, uint32_t memBase, mir::ExecEnv &env) {
  if (!env.memory.empty()) uc_mem_read(uc, memBase, env.memory.data(), env.memory.size());
  if (!env.globals.empty())
    uc_mem_read(uc, kGlobalsAddr, env.globals.data(), env.globals.size() * 4);
}

/// Registers at entry: garbage everywhere, then the arguments (AAPCS; f32/f64
/// by AAPCS-VFP in S/D registers) and the runtime registers; `saved`
/// receives the entry values of R0-PC and, on an FPU CPU, `savedS` those of
/// S0-S31 (RunOptions::sArgs first, then the typed f32/f64 arguments; FPSCR
/// 0: round to nearest, no flush to zero, no default NaN unless
/// RunOptions::defaultNaN, flags clear).
void setEntryState(Machine::Impl &m, const mir::Signature &sig, std::span<const uint64_t> args,
                   mir::ExecEnv &env, const RunOptions &opts, uint32_t saved[16], uint32_t savedS[32]) {
  uc_engine *uc = m.uc;
  m.st = RunState{};
  m.st.env = &env;
  m.st.opts = opts;
  m.st.rng = opts.seed;
  for (unsigned r = 0; r <= 12; ++r) writeReg(uc, static_cast<PReg>(r), m.random());
  // the caller's area: stack arguments and stack results (docs/mir.md
  // "Several results"); garbage first, so a result the code does not
  // write is not read as a stale one
  const uint32_t area = arm::calleeAreaBytes(sig);
  const uint32_t sp = kStackTop - ((area + 7) & ~7u);
  for (uint32_t off = 0; off < area; off += 4) {
    const uint32_t junk = m.random();
    uc_mem_write(uc, sp + off, &junk, 4);
  }
  const std::vector<arm::WordLoc> locs = arm::paramLocations(sig);
  std::array<std::optional<uint32_t>, 32> sTyped;  // S registers of typed f32/f64 arguments
  size_t k = 0;
  for (size_t i = 0; i < sig.params.size(); ++i) {
    const bool f64 = sig.params[i] == mir::ValType::F64;
    const unsigned n = mir::operandsOf(sig.params[i]);  // an i64 two words, else one operand
    for (unsigned w = 0; w < n; ++w, ++k) {
      const arm::WordLoc &loc = locs[k];
      const uint64_t v = f64 ? args[i] : args[i] >> (32 * w) & 0xffffffffu;
      const uint32_t halves[2] = {static_cast<uint32_t>(v), static_cast<uint32_t>(v >> 32)};
      if (loc.onStack) {
        uc_mem_write(uc, sp + loc.offset, halves, loc.bytes);  // an f64: low word first
      } else if (loc.vfp == arm::WordLoc::Vfp::S) {
        sTyped[loc.vfpReg] = halves[0];
      } else if (loc.vfp == arm::WordLoc::Vfp::D) {
        sTyped[2 * loc.vfpReg] = halves[0];
        sTyped[2 * loc.vfpReg + 1] = halves[1];
      } else {
        writeReg(uc, loc.reg, halves[0]);
      }
    }
  }
  writeReg(uc, PReg::R9, kGlobalsAddr);
  writeReg(uc, PReg::R10, static_cast<uint32_t>(env.memory.size()));
  writeReg(uc, PReg::R11, opts.memBase);
  writeReg(uc, PReg::SP, sp);
  writeReg(uc, PReg::LR, kSentinelAddr | 1);
  uint32_t xpsr = 0x01000000;  // Thumb, no flags, no IT state
  uc_reg_write(uc, UC_ARM_REG_XPSR, &xpsr);
  for (unsigned r = 0; r < 16; ++r) saved[r] = readReg(uc, static_cast<PReg>(r));
  if (arm::softFloat(m.img.cpu)) return;
  for (unsigned n = 0; n < 32; ++n) {  // sArgs, then garbage; typed f32/f64 arguments win
    savedS[n] = n < opts.sArgs.size() ? opts.sArgs[n] : m.random();
    if (sTyped[n]) savedS[n] = *sTyped[n];
    writeSReg(uc, n, savedS[n]);
  }
  // The M-profile core loads FPSCR from FPDSCR (0 at reset) at the first
  // FP instruction of a new FP context (CONTROL.FPCA clear), so a written
  // FPSCR lasts only inside an active context: default NaN mode marks one
  // active (CONTROL.FPCA) before setting FPSCR.DN.
  uint32_t control = opts.defaultNaN ? 1u << 2 : 0;  // CONTROL.FPCA
  uc_reg_write(uc, UC_ARM_REG_CONTROL, &control);
  uint32_t fpscr = opts.defaultNaN ? 1u << 25 : 0;  // FPSCR.DN
  uc_reg_write(uc, UC_ARM_REG_FPSCR, &fpscr);
}

/// Callee-saved registers (R4-R11, SP; S16-S31 on an FPU CPU) that differ
/// from their entry values, as one message ("" if all were restored).
std::string notRestored(Machine::Impl &m, const uint32_t saved[16], const uint32_t savedS[32]) {
  uc_engine *uc = m.uc;
  std::string bad;
  const auto note = [&](const std::string &name, uint32_t entry, uint32_t now) {
    bad += fmt::format("{}{} not restored (entry 0x{:08x}, exit 0x{:08x})", bad.empty() ? "" : "; ",
                       name, entry, now);
  };
  for (unsigned r = 4; r <= 13; ++r) {
    if (r == 12) continue;  // R12 is caller-saved scratch
    if (r == 10 && m.st.opts.memoryMaxBytes) continue;  // growable memory: R10 is the current size
    const uint32_t now = readReg(uc, static_cast<PReg>(r));
    if (now == saved[r]) continue;
    note(r == 13 ? std::string("sp") : fmt::format("callee-saved {}", mir::pregName(static_cast<PReg>(r))),
         saved[r], now);
  }
  if (!arm::softFloat(m.img.cpu))
    for (unsigned n = 16; n < 32; ++n)
      if (const uint32_t now = readSReg(uc, n); now != savedS[n])
        note(fmt::format("callee-saved s{}", n), savedS[n], now);
  return bad;
}

/// Turn how the emulation stopped into a status, results or an error.
void classifyStop(Machine::Impl &m, uc_err e, const mir::Signature &sig, const uint32_t saved[16],
                  const uint32_t savedS[32], RunResult &res) {
  uc_engine *uc = m.uc;
  const RunState &st = m.st;
  const RunOptions &opts = st.opts;
  const uint32_t pc = readReg(uc, PReg::PC);
  res.status = RunResult::Status::Fault;
  if (st.noFpu) {
    uint16_t hw[2] = {0, 0};
    uc_mem_read(uc, st.noFpuPc, hw, 4);
    res.error = fmt::format("VFP instruction {:04x} {:04x} at 0x{:x} on cortex-m4, which has no FPU "
                            "(NOCP UsageFault); build for cortex-m4f or cortex-m7",
                            hw[0], hw[1], st.noFpuPc);
  } else if (!st.hostError.empty()) {
    res.error = st.hostError;
  } else if (st.exhausted) {
    res.status = RunResult::Status::Exhausted;
  } else if (e == UC_ERR_INSN_INVALID) {
    uint16_t hw[2] = {0, 0};
    uc_mem_read(uc, pc, hw, 2);
    uc_mem_read(uc, pc + 2, hw + 1, 2);
    const auto reason = arm::rt::trapFromCode(static_cast<uint8_t>(hw[0] & 0xff));
    if ((hw[0] & 0xff00) == 0xde00 && reason) {
      res.status = RunResult::Status::Trapped;
      res.trap = *reason;
    } else if ((hw[0] & 0xff00) == 0xde00) {
      res.error = fmt::format("udf #{} (no trap code) at 0x{:x}", hw[0] & 0xff, pc);
    } else {
      res.error = fmt::format(
          "invalid instruction {:04x} {:04x} at 0x{:x} (or a branch to an even, ARM-state address)",
          hw[0], hw[1], pc);
    }
  } else if (st.badAccess) {
    res.error = fmt::format("{} of {} bytes at 0x{:x} (pc 0x{:x})", accessName(st.badType),
                            st.badSize, st.badAddr, pc);
  } else if (st.gotIntr) {
    res.error = fmt::format("{} (exception {}) at 0x{:x}", exceptionName(st.intrNo), st.intrNo, st.intrPc);
  } else if (e != UC_ERR_OK) {
    res.error = fmt::format("{} at 0x{:x}", uc_strerror(e), pc);
  } else if (pc != kSentinelAddr) {
    if (!opts.countInsns) res.status = RunResult::Status::Exhausted;
    else res.error = fmt::format("emulation stopped at 0x{:x}", pc);
  } else {
    if (std::string bad = notRestored(m, saved, savedS); !bad.empty()) {
      res.error = bad;
    } else {
      res.status = RunResult::Status::Returned;
      // each result from its home (docs/mir.md "Several results")
      const std::vector<arm::WordLoc> rlocs = arm::resultLocations(sig);
      for (size_t i = 0, w = 0; i < sig.results.size(); w += mir::operandsOf(sig.results[i]), ++i) {
        const arm::WordLoc &l = rlocs.at(w);
        const auto stackWord = [&](uint32_t off) {  // [entry sp + off]
          uint32_t v = 0;
          uc_mem_read(uc, uint64_t{saved[13]} + off, &v, 4);
          return v;
        };
        if (l.onStack && l.bytes == 8)
          res.results.push_back(stackWord(l.offset) | uint64_t{stackWord(l.offset + 4)} << 32);
        else if (l.onStack && sig.results[i] == mir::ValType::I64)
          res.results.push_back(stackWord(l.offset) | uint64_t{stackWord(rlocs.at(w + 1).offset)} << 32);
        else if (l.onStack) res.results.push_back(stackWord(l.offset));
        else if (l.vfp == arm::WordLoc::Vfp::S) res.results.push_back(readSReg(uc, l.vfpReg));
        else if (l.vfp == arm::WordLoc::Vfp::D)
          res.results.push_back(readSReg(uc, 2u * l.vfpReg) | uint64_t{readSReg(uc, 2u * l.vfpReg + 1)} << 32);
        else if (sig.results[i] == mir::ValType::I64)
          res.results.push_back(readReg(uc, l.reg) | uint64_t{readReg(uc, rlocs.at(w + 1).reg)} << 32);
        else res.results.push_back(readReg(uc, l.reg));
      }
    }
  }
}

}  // namespace

std::string_view statusName(RunResult::Status s) {
  switch (s) {
  case RunResult::Status::Returned: return "returned";
  case RunResult::Status::Trapped: return "trapped";
  case RunResult::Status::Fault: return "fault";
  case RunResult::Status::Exhausted: return "exhausted";
  }
  return "?";
}

Machine::Machine(Image img) : impl_(std::make_unique<Impl>(std::move(img))) {}
Machine::~Machine() = default;
const Image &Machine::image() const { return impl_->img; }

RunResult Machine::run(std::string_view symbol, const mir::Signature &sig,
                       std::span<const uint64_t> args, mir::ExecEnv &env, const RunOptions &opts) {
  Impl &m = *impl_;
  RunResult res;
  const auto fail = [&](std::string msg) {
    res.status = RunResult::Status::Fault;
    res.error = fmt::format("run of '{}': {}", symbol, msg);
    return res;
  };
  const uint32_t entry = m.img.find(symbol);
  if (!entry) return fail("no such function symbol in the image");
  if (args.size() != sig.params.size())
    return fail(fmt::format("{} arguments given, the signature has {}", args.size(), sig.params.size()));
  if (arm::softFloat(m.img.cpu) && usesVfpTypes(sig))
    return fail(fmt::format("the signature has f32/f64 values, passed in S/D registers, but {} has no "
                            "FPU (its floats are i32/i64 words)", arm::cpuName(m.img.cpu)));
  if (opts.sArgs.size() > 32) return fail(fmt::format("{} S register values given, there are 32", opts.sArgs.size()));
  if (!opts.countInsns && opts.insnLimit == 0) {  // Unicorn reads a count of 0 as "no limit"
    res.status = RunResult::Status::Exhausted;
    return res;
  }
  std::string err;
  const uint64_t mapBytes = std::max<uint64_t>(env.memory.size(), opts.memoryMaxBytes);  // reserved at the maximum
  if (!checkLayout(m.img, opts.memBase, mapBytes, env.globals.size() * uint64_t{4}, err))
    return fail(err);
  if ((!m.uc || m.counting != opts.countInsns) && !m.open(opts.countInsns, err)) return fail(err);
  if (!m.remap(m.memMap, opts.memBase, static_cast<uint32_t>(mapBytes), err) ||
      !m.remap(m.globalsMap, kGlobalsAddr, static_cast<uint32_t>(env.globals.size() * 4), err) ||
      !m.resetMemory(err))
    return fail(err);
  uc_engine *uc = m.uc;
  if (m.memMap.size) {
    std::vector<uint8_t> mem(m.memMap.size, 0);
    std::copy(env.memory.begin(), env.memory.end(), mem.begin());
    uc_mem_write(uc, m.memMap.base, mem.data(), mem.size());
  }
  if (m.globalsMap.size) {
    std::vector<uint8_t> g(m.globalsMap.size, 0);
    std::memcpy(g.data(), env.globals.data(), env.globals.size() * 4);
    uc_mem_write(uc, kGlobalsAddr, g.data(), g.size());
  }

  if (opts.countOrigins && m.originOf.empty()) {
    m.originOf.assign((m.img.bytes.size() + 1) / 2, 0xff);
    for (const OriginRange &r : m.img.originRanges)
      for (uint32_t a = std::max(r.begin, m.img.base); a < r.end && a - m.img.base < m.img.bytes.size(); a += 2)
        m.originOf[(a - m.img.base) >> 1] = r.origin;
  }
  uint32_t saved[16], savedS[32] = {};
  setEntryState(m, sig, args, env, opts, saved, savedS);
  const uc_err e = uc_emu_start(uc, entry | 1, kSentinelAddr, 0, opts.countInsns ? 0 : opts.insnLimit);
  const RunState &st = m.st;
  res.insns = st.insns;
  res.loads = st.loads;
  res.stores = st.stores;
  res.hostCalls = st.hostCalls;
  res.originInsns = st.origins;
  if (opts.memoryMaxBytes)  // the memory the run leaves is R10 bytes long (within the mapping)
    env.memory.resize(std::min<uint64_t>(readReg(uc, PReg::R10), mapBytes));
  writeBack(uc, opts.memBase, env);
  if (!arm::softFloat(m.img.cpu))
    for (unsigned n = 0; n < 32; ++n) res.sregs[n] = readSReg(uc, n);
  classifyStop(m, e, sig, saved, savedS, res);
  if (res.status == RunResult::Status::Fault)
    res.error = fmt::format("run of '{}': {}", symbol, res.error);
  return res;
}

RunResult run(const Image &img, std::string_view symbol, const mir::Signature &sig,
              std::span<const uint64_t> args, mir::ExecEnv &env, const RunOptions &opts) {
  Machine machine(img);
  return machine.run(symbol, sig, args, env, opts);
}

RunResult runDiffInput(Machine &machine, std::string_view symbol, const mir::Signature &sig,
                       const mir::DiffInput &in, mir::ExecEnv &env, RunOptions opts, uint64_t perStep,
                       uint64_t slack) {
  env.memory = in.memory;
  env.globals = in.globals;
  opts.insnLimit = perStep * in.expected.steps + slack;
  RunResult rr = machine.run(symbol, sig, in.args, env, opts);
  const bool finished = in.expected.status == mir::ExecResult::Status::Returned ||
                        in.expected.status == mir::ExecResult::Status::Trapped;
  if (rr.status != RunResult::Status::Exhausted || !finished || perStep >= kRoutineStepInsns) return rr;
  env.memory = in.memory;
  env.globals = in.globals;
  opts.insnLimit = kRoutineStepInsns * in.expected.steps + slack;
  return machine.run(symbol, sig, in.args, env, opts);
}

}  // namespace vcr::exec
