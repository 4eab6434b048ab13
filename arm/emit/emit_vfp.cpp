// VFP expansions (cortex-m4f / cortex-m7): S/D operands and scratch, float arithmetic, compares, selects, constants, moves.
#include "arm/emit/emitter.h"
#include "core/ir/text.h"

#include <bit>
#include <optional>
#include <utility>
#include <vector>

namespace vcr::emit::detail {

using mir::Cond;
using mir::Instr;
using mir::Opcode;
using mir::Operand;

namespace {

/// True for the opcodes whose operands are D registers (the .f64 forms).
bool isF64Op(Opcode op) {
  switch (op) {
  case Opcode::FConst64: case Opcode::FAdd64: case Opcode::FSub64: case Opcode::FMul64:
  case Opcode::FDiv64: case Opcode::FMin64: case Opcode::FMax64: case Opcode::FCopySign64:
  case Opcode::FSqrt64: case Opcode::FAbs64: case Opcode::FNeg64: case Opcode::FSet64:
  case Opcode::FSel64:
    return true;
  default: return false;
  }
}

/// VFP mnemonic of a two-operand arithmetic opcode, or "".
std::string_view binaryMnemonic(Opcode op) {
  switch (op) {
  case Opcode::FAdd32: case Opcode::FAdd64: return "vadd";
  case Opcode::FSub32: case Opcode::FSub64: return "vsub";
  case Opcode::FMul32: case Opcode::FMul64: return "vmul";
  case Opcode::FDiv32: case Opcode::FDiv64: return "vdiv";
  default: return "";
  }
}

/// The ARM condition that holds after VCMP a, b; VMRS exactly when wasm's
/// comparison is true: false on unordered (NZCV = 0011) except for ne.
std::string_view fcondSuffix(Cond c) {
  switch (c) {
  case Cond::Eq: return "eq";
  case Cond::Ne: return "ne";
  case Cond::SLt: return "mi";  // less: N=1; unordered N=0
  case Cond::SLe: return "ls";  // less or equal: C=0 or Z=1; unordered C=1, Z=0
  case Cond::SGt: return "gt";  // Z=0 and N=V; unordered N=0, V=1
  case Cond::SGe: return "ge";  // N=V; unordered N!=V
  default: return "";
  }
}

/// The negation of fcondSuffix's condition.
std::string_view fcondInverse(Cond c) {
  switch (c) {
  case Cond::Eq: return "ne";
  case Cond::Ne: return "eq";
  case Cond::SLt: return "pl";
  case Cond::SLe: return "hi";
  case Cond::SGt: return "le";
  case Cond::SGe: return "lt";
  default: return "";
  }
}

/// Name of S register n.
std::string sName(uint32_t n) { return "s" + std::to_string(n); }

/// The S halves of a D register name "dN": {"s2N", "s2N+1"}.
std::pair<std::string, std::string> halves(const std::string &d) {
  const uint32_t n = static_cast<uint32_t>(std::stoul(d.substr(1)));
  return {sName(2 * n), sName(2 * n + 1)};
}

/// The VMOV immediate text of `bits` ("1.5"), if VMOV.F32/.F64 encodes it:
/// +-(16..31)/16 * 2^(-3..4), i.e. a:NOT(b):b..b:cdefgh:0...0.
std::optional<std::string> vmovImmediate(uint64_t bits, bool dbl) {
  const unsigned width = dbl ? 64 : 32, expRep = dbl ? 8 : 5, zeros = dbl ? 48 : 19;
  if (bits & ((uint64_t(1) << zeros) - 1)) return std::nullopt;
  const unsigned bpos = width - 3;  // b's copies run from bpos down to bpos - expRep + 1
  const uint64_t b = (bits >> bpos) & 1;
  for (unsigned k = 0; k < expRep; ++k)
    if (((bits >> (bpos - k)) & 1) != b) return std::nullopt;
  if (((bits >> (width - 2)) & 1) == b) return std::nullopt;
  const double v = dbl ? std::bit_cast<double>(bits) : double(std::bit_cast<float>(static_cast<uint32_t>(bits)));
  return fmt::format("{:.8f}", v);  // a multiple of 2^-7: exact in 8 decimals
}

}  // namespace

std::string FnEmitter::sreg(const Operand &o, std::string_view role) const {
  if (!o.isSReg() || o.value >= mir::kNumSRegs)
    decline(fmt::format("{} is {}, not an S register", role, mir::printOperand(o)));
  return sName(o.value);
}

std::string FnEmitter::dreg(const Operand &o, std::string_view role) const {
  if (!o.isDReg() || o.value >= mir::kNumDRegs)
    decline(fmt::format("{} is {}, not a D register", role, mir::printOperand(o)));
  return "d" + std::to_string(o.value);
}

std::string FnEmitter::vfpScratch(bool dbl) {
  const Instr &in = fn_.blocks[curBlock_].instrs[curIndex_];
  uint32_t operands = 0;
  for (const auto *list : {&in.defs, &in.uses})
    for (const Operand &o : *list)
      for (uint32_t s : mir::sregsOf(o)) operands |= 1u << s;
  const uint32_t busy = curVfpLiveOut_ | operands, free = 0xffffu | vfpSaved_;
  const uint32_t step = dbl ? 2 : 1, mask = dbl ? 3 : 1;
  auto name = [&](uint32_t s) { return dbl ? "d" + std::to_string(s / 2) : sName(s); };
  for (uint32_t s = 16 - step;; s -= step) {  // S15/D7 downwards: clear of the argument registers
    if (!(busy & (mask << s)) && (free & (mask << s)) == (mask << s)) return name(s);
    if (s == 0) break;
  }
  for (uint32_t s = 16; s < 32; s += step)
    if (!(busy & (mask << s)) && (free & (mask << s)) == (mask << s)) return name(s);
  const bool stackOrControl = in.isTerminator() || in.op == Opcode::Lds || in.op == Opcode::Sts ||
                              in.op == Opcode::Push || in.op == Opcode::Pop || mir::isCall(in.op);
  if (pendingVPop_.empty() && pendingPop_ < 0 && !stackOrControl)
    for (uint32_t s = 16 - step;; s -= step) {
      if (!(operands & (mask << s))) {
        pendingVPop_ = name(s);
        ++borrowed_;
        line("vpush {{{}}}", pendingVPop_);
        return pendingVPop_;
      }
      if (s == 0) break;
    }
  decline("the expansion needs a VFP scratch register, but every S register is an operand or live across it");
}

void FnEmitter::requireF64(std::string_view what) {
  if (!arm::hasF64(opts_.cpu))
    decline(fmt::format("{} needs double-precision VFP, which {} (FPv4-SP-D16) lacks: selection calls the "
                        "runtime for f64 arithmetic there",
                        what, arm::cpuName(opts_.cpu)));
}

void FnEmitter::vfpConstant(const std::string &v, uint64_t bits, bool dbl, const std::string &core) {
  if (!dbl || arm::hasF64(opts_.cpu))
    if (auto imm = vmovImmediate(bits, dbl)) return line("vmov.{} {}, #{}", dbl ? "f64" : "f32", v, *imm);
  if (!dbl) {
    materialize(core, static_cast<uint32_t>(bits));
    return line("vmov {}, {}", v, core);
  }
  const auto [lo, hi] = halves(v);
  materialize(core, static_cast<uint32_t>(bits));
  line("vmov {}, {}", lo, core);
  if ((bits >> 32) != (bits & 0xffffffffu)) materialize(core, static_cast<uint32_t>(bits >> 32));
  line("vmov {}, {}", hi, core);
}

void FnEmitter::emitVfp(const Instr &in) {
  const Opcode op = in.op;
  switch (op) {
  case Opcode::FLoad32: case Opcode::FLoad64: case Opcode::FStore32: case Opcode::FStore64:
    return emitVfpMemory(in);
  case Opcode::FConst32: case Opcode::FConst64: case Opcode::FAdd32: case Opcode::FSub32: case Opcode::FMul32:
  case Opcode::FDiv32: case Opcode::FAdd64: case Opcode::FSub64: case Opcode::FMul64: case Opcode::FDiv64:
  case Opcode::FCopySign32: case Opcode::FCopySign64: case Opcode::FSqrt32: case Opcode::FSqrt64:
  case Opcode::FAbs32: case Opcode::FAbs64: case Opcode::FNeg32: case Opcode::FNeg64: case Opcode::FSet32:
  case Opcode::FSet64: case Opcode::FSel32: case Opcode::FSel64: case Opcode::FMovToInt32:
  case Opcode::FMovToInt64: case Opcode::FMovFromInt32: case Opcode::FMovFromInt64: case Opcode::Mov:
    break;
  case Opcode::FMin32: case Opcode::FMax32: case Opcode::FMin64: case Opcode::FMax64:
    decline(fmt::format("{} is not emitted: wasm's NaN and -0 rules have no VFP instruction, selection calls "
                        "the runtime",
                        mir::info(op).mnemonic));
  default: return emitVfpConvert(in);
  }
  const bool dbl = isF64Op(op) || (op == Opcode::Mov && in.defs[0].isDReg());
  const std::string_view ty = dbl ? "f64" : "f32";
  const bool hw64 = arm::hasF64(opts_.cpu);
  if (const std::string_view mn = binaryMnemonic(op); !mn.empty()) {
    if (dbl) requireF64(mir::info(op).mnemonic);
    return line("{}.{} {}, {}, {}", mn, ty, vreg(in.defs[0], "destination", dbl),
                vreg(in.uses[0], "first operand", dbl), vreg(in.uses[1], "second operand", dbl));
  }
  switch (op) {
  case Opcode::Mov: {
    const std::string d = vreg(in.defs[0], "destination", dbl), a = vreg(in.uses[0], "source", dbl);
    if (d == a && opts_.elideSelfMoves) return;
    if (!dbl || hw64) return line("vmov.{} {}, {}", ty, d, a);
    // FPv4-SP has no VMOV.F64: the halves (distinct D registers do not overlap)
    const auto [dl, dh] = halves(d);
    const auto [al, ah] = halves(a);
    line("vmov.f32 {}, {}", dl, al);
    return line("vmov.f32 {}, {}", dh, ah);
  }
  case Opcode::FConst32: case Opcode::FConst64: {
    for (const Operand &u : in.uses)
      if (!u.isImm()) decline("fconst operand is not an immediate");
    const uint64_t bits = dbl ? (uint64_t(in.uses[1].value) << 32) | in.uses[0].value : in.uses[0].value;
    const std::string d = vreg(in.defs[0], "destination", dbl);
    if ((!dbl || hw64) && vmovImmediate(bits, dbl)) return vfpConstant(d, bits, dbl, "");
    return vfpConstant(d, bits, dbl, scratch());
  }
  case Opcode::FSqrt32: case Opcode::FSqrt64: {
    if (dbl) requireF64("fsqrt.f64");
    return line("vsqrt.{} {}, {}", ty, vreg(in.defs[0], "destination", dbl), vreg(in.uses[0], "operand", dbl));
  }
  case Opcode::FAbs32: case Opcode::FAbs64: case Opcode::FNeg32: case Opcode::FNeg64:
  case Opcode::FCopySign32: case Opcode::FCopySign64: {
    // VABS/VNEG only clear/flip the sign bit (NaNs too, whatever FPSCR says):
    // bit operations, so FPv4-SP does an f64's on its high S half.
    const std::string d = vreg(in.defs[0], "destination", dbl), a = vreg(in.uses[0], "operand", dbl);
    const bool copysign = op == Opcode::FCopySign32 || op == Opcode::FCopySign64;
    std::string signWord;  // copysign: b's word holding the sign, read before d is written
    if (copysign) {
      const std::string b = vreg(in.uses[1], "sign operand", dbl);
      signWord = scratch();
      line("vmov {}, {}", signWord, dbl ? halves(b).second : b);
    }
    const std::string_view mn = op == Opcode::FNeg32 || op == Opcode::FNeg64 ? "vneg" : "vabs";
    std::string dd = d, ty2(ty);  // the register the sign operation works on
    if (dbl && !hw64) {
      const auto [dl, dh] = halves(d);
      const auto [al, ah] = halves(a);
      if (d != a) line("vmov.f32 {}, {}", dl, al);
      line("{}.f32 {}, {}", mn, dh, ah);
      dd = dh, ty2 = "f32";
    } else {
      line("{}.{} {}, {}", mn, ty, d, a);
    }
    if (!copysign) return;
    line("tst {}, #0x80000000", signWord);
    line("it ne");
    return line("vnegne.{} {}, {}", ty2, dd, dd);
  }
  case Opcode::FSet32: case Opcode::FSet64: {
    if (dbl) requireF64("fset.f64");
    const std::string d = reg(in.defs[0], "destination");
    if (fcondSuffix(in.cc).empty()) decline("fset without an eq/ne/lt/gt/le/ge condition");
    line("vcmp.{} {}, {}", ty, vreg(in.uses[0], "first operand", dbl), vreg(in.uses[1], "second operand", dbl));
    line("vmrs APSR_nzcv, fpscr");
    line("ite {}", fcondSuffix(in.cc));
    line("mov{} {}, #1", fcondSuffix(in.cc), d);
    return line("mov{} {}, #0", fcondInverse(in.cc), d);
  }
  case Opcode::FSel32: case Opcode::FSel64: {  // d = c != 0 ? a : b
    const std::string d = vreg(in.defs[0], "destination", dbl), c = reg(in.uses[0], "condition");
    const std::string a = vreg(in.uses[1], "true value", dbl), b = vreg(in.uses[2], "false value", dbl);
    if (a == b) {
      if (d != a) emitVfp(mir::makeInstr(Opcode::Mov, {in.defs[0]}, {in.uses[1]}, in.origin));
      return;
    }
    line("cmp {}, #0", c);
    if (hw64) return line("vseleq.{} {}, {}, {}", ty, d, b, a);  // FPv5: VSEL, no IT block
    // FPv4-SP: conditional VMOV.F32 (of both halves for a D register)
    std::vector<std::pair<std::string, std::string>> t, f;  // (dst, src) moves if c != 0 / c == 0
    auto moves = [&](const std::string &src, auto &out) {
      if (src == d) return;
      if (!dbl) return out.push_back({d, src});
      out.push_back({halves(d).first, halves(src).first});
      out.push_back({halves(d).second, halves(src).second});
    };
    moves(a, t);
    moves(b, f);
    if (t.empty()) line("i{} eq", std::string(f.size(), 't'));  // d is a: only the moves of b
    else line("i{}{} ne", std::string(t.size(), 't'), std::string(f.size(), 'e'));
    for (const auto &[x, y] : t) line("vmovne.f32 {}, {}", x, y);
    for (const auto &[x, y] : f) line("vmoveq.f32 {}, {}", x, y);
    return;
  }
  case Opcode::FMovToInt32:
    return line("vmov {}, {}", reg(in.defs[0], "destination"), sreg(in.uses[0], "source"));
  case Opcode::FMovFromInt32:
    return line("vmov {}, {}", sreg(in.defs[0], "destination"), reg(in.uses[0], "source"));
  case Opcode::FMovToInt64: {
    const std::string lo = reg(in.defs[0], "low destination"), hi = reg(in.defs[1], "high destination");
    if (lo == hi) decline("both halves of the moved value are in " + lo);
    return line("vmov {}, {}, {}", lo, hi, dreg(in.uses[0], "source"));
  }
  case Opcode::FMovFromInt64:
    return line("vmov {}, {}, {}", dreg(in.defs[0], "destination"), reg(in.uses[0], "low source"),
                reg(in.uses[1], "high source"));
  default: break;
  }
  decline("unhandled float opcode");
}

}  // namespace vcr::emit::detail
