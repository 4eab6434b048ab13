// VFP conversions: VCVT between integers and floats and between f32/f64, wasm's trapping and saturating truncations, VRINT.
#include "arm/emit/emitter.h"

namespace vcr::emit::detail {

using mir::Instr;
using mir::Opcode;
using mir::Operand;

namespace {

/// A truncation to i32/u32: its signedness, source width and trapping kind.
struct Trunc {
  bool isSigned, dbl, trapping;
};

std::optional<Trunc> truncOf(Opcode op) {
  switch (op) {
  case Opcode::FTruncS32F32: return Trunc{true, false, true};
  case Opcode::FTruncU32F32: return Trunc{false, false, true};
  case Opcode::FTruncS32F64: return Trunc{true, true, true};
  case Opcode::FTruncU32F64: return Trunc{false, true, true};
  case Opcode::FTruncSatS32F32: return Trunc{true, false, false};
  case Opcode::FTruncSatU32F32: return Trunc{false, false, false};
  case Opcode::FTruncSatS32F64: return Trunc{true, true, false};
  case Opcode::FTruncSatU32F64: return Trunc{false, true, false};
  default: return std::nullopt;
  }
}

/// The VRINT mnemonic of a rounding opcode (ceil: +inf, floor: -inf,
/// trunc: zero, nearest: ties to even), or "".
std::string_view vrintOf(Opcode op) {
  switch (op) {
  case Opcode::FCeil32: case Opcode::FCeil64: return "vrintp";
  case Opcode::FFloor32: case Opcode::FFloor64: return "vrintm";
  case Opcode::FTrunc32: case Opcode::FTrunc64: return "vrintz";
  case Opcode::FNearest32: case Opcode::FNearest64: return "vrintn";
  default: return "";
  }
}

/// The low S half of a D register name "dN".
std::string lowHalf(const std::string &d) { return "s" + std::to_string(2 * std::stoul(d.substr(1))); }

}  // namespace

void FnEmitter::emitVfpConvert(const Instr &in) {
  const Opcode op = in.op;
  const std::string_view mnemonic = mir::info(op).mnemonic;
  if (const std::string_view vr = vrintOf(op); !vr.empty()) {
    const bool dbl = in.defs[0].isDReg();
    if (!arm::hasF64(opts_.cpu))  // FPv4 has no VRINT at all
      decline(fmt::format("{} needs VRINT, which {} (FPv4) lacks: selection calls the runtime", mnemonic,
                          arm::cpuName(opts_.cpu)));
    return line("{}.{} {}, {}", vr, dbl ? "f64" : "f32", vreg(in.defs[0], "destination", dbl),
                vreg(in.uses[0], "operand", dbl));
  }
  switch (op) {
  case Opcode::FPromote:
    requireF64(mnemonic);
    return line("vcvt.f64.f32 {}, {}", dreg(in.defs[0], "destination"), sreg(in.uses[0], "operand"));
  case Opcode::FDemote:
    requireF64(mnemonic);
    return line("vcvt.f32.f64 {}, {}", sreg(in.defs[0], "destination"), dreg(in.uses[0], "operand"));
  case Opcode::FCvtF32S32: case Opcode::FCvtF32U32: case Opcode::FCvtF64S32: case Opcode::FCvtF64U32: {
    // VCVT from an integer rounds per FPSCR: to nearest, ties to even
    const bool dbl = op == Opcode::FCvtF64S32 || op == Opcode::FCvtF64U32;
    if (dbl) requireF64(mnemonic);
    const bool sgn = op == Opcode::FCvtF32S32 || op == Opcode::FCvtF64S32;
    const std::string d = vreg(in.defs[0], "destination", dbl), a = reg(in.uses[0], "operand");
    const std::string s = dbl ? lowHalf(d) : d;  // the integer goes through d's (low) S register
    line("vmov {}, {}", s, a);
    return line("vcvt.{}.{} {}, {}", dbl ? "f64" : "f32", sgn ? "s32" : "u32", d, s);
  }
  default: break;
  }
  const auto t = truncOf(op);
  if (!t) decline(fmt::format("{} is not emitted: selection calls the runtime for it", mnemonic));
  if (t->dbl) requireF64(mnemonic);
  const std::string_view ty = t->dbl ? "f64" : "f32", ity = t->isSigned ? "s32" : "u32";
  const std::string d = reg(in.defs[0], "destination"), a = vreg(in.uses[0], "operand", t->dbl);
  if (!t->trapping) {
    // VCVT toward zero saturates and gives 0 for NaN: wasm's trunc_sat.
    // Its S result: the operand's own (low) S register when the operand dies here.
    std::string s;
    const uint32_t aBits = t->dbl ? 3u << (2 * in.uses[0].value) : 1u << in.uses[0].value;
    if (!(curVfpLiveOut_ & aBits)) s = t->dbl ? lowHalf(a) : a;
    else s = vfpScratch(false);
    line("vcvt.{}.{} {}, {}", ity, ty, s, a);
    return line("vmov {}, {}", d, s);
  }
  // Trapping: NaN -> badconv; out of range -> overflow. In range means
  // lo < x < hi with hi = 2^31 (signed) or 2^32 (unsigned) and lo = -2^31-1
  // or -1; f32 has no -2^31-1, so there x >= -2^31 (x < -2^31 traps). The
  // bounds go into a VFP scratch v through d (written last anyway).
  const std::string v = vfpScratch(t->dbl);
  auto bound = [&](uint64_t bits) {
    if (!t->dbl) {
      materialize(d, static_cast<uint32_t>(bits));
      return line("vmov {}, {}", v, d);
    }
    const std::string lo = lowHalf(v), hi = "s" + std::to_string(std::stoul(lo.substr(1)) + 1);
    materialize(d, static_cast<uint32_t>(bits));
    line("vmov {}, {}", lo, d);
    if ((bits >> 32) != (bits & 0xffffffffu)) materialize(d, static_cast<uint32_t>(bits >> 32));
    line("vmov {}, {}", hi, d);
  };
  uint64_t hiBits = 0, loBits = 0;
  std::string_view loTrap = "ls";  // x <= lo traps
  if (!t->dbl) {
    hiBits = t->isSigned ? 0x4f000000u : 0x4f800000u;  // 2^31, 2^32
    loBits = t->isSigned ? 0xcf000000u : 0xbf800000u;  // -2^31 (x < lo traps), -1
    if (t->isSigned) loTrap = "mi";
  } else {
    hiBits = t->isSigned ? 0x41e0000000000000ull : 0x41f0000000000000ull;  // 2^31, 2^32
    loBits = t->isSigned ? 0xc1e0000000200000ull : 0xbff0000000000000ull;  // -2^31-1, -1
  }
  bound(hiBits);
  line("vcmp.{} {}, {}", ty, a, v);
  line("vmrs APSR_nzcv, fpscr");
  line("bvs {}", trapLabel(mir::TrapReason::BadConversion));  // unordered: x is NaN
  line("bge {}", trapLabel(mir::TrapReason::Overflow));       // x >= hi
  bound(loBits);
  line("vcmp.{} {}, {}", ty, a, v);
  line("vmrs APSR_nzcv, fpscr");
  line("b{} {}", loTrap, trapLabel(mir::TrapReason::Overflow));
  const std::string s = t->dbl ? lowHalf(v) : v;
  line("vcvt.{}.{} {}, {}", ity, ty, s, a);
  line("vmov {}, {}", d, s);
}

}  // namespace vcr::emit::detail
