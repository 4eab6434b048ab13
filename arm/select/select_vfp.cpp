// Selection of the f32/f64 operators an FPU computes (cortex-m4f: f32; cortex-m7: f32 and f64) as VFP opcodes.
#include "arm/select/select_internal.h"
#include "arm/target/cpu.h"

namespace vcr::select::detail {

using mir::Cond;
using mir::Instr;
using mir::Opcode;
using mir::Operand;
using O = wabt::Opcode;

namespace {

/// A wasm operator the FPU computes: its MIR opcode, fset condition, and
/// whether it needs double precision (cortex-m7 only).
struct VfpOp {
  Opcode op;
  Cond cc = Cond::None;
  bool dp = false;
};

/// The VFP opcode of `op`, if an FPU instruction (or a short inline sequence
/// the emitter owns) computes it. Not here, so a runtime call: min/max
/// (VMINNM/VMAXNM are not wasm's min/max), ceil/floor/trunc/nearest on FPv4
/// (no VRINT), conversions from/to i64, and f64 on FPv4.
std::optional<VfpOp> vfpOf(wabt::Opcode op) {
  switch (op) {
  // FPv4-SP and FPv5: single precision
  case O::F32Add: return VfpOp{Opcode::FAdd32};
  case O::F32Sub: return VfpOp{Opcode::FSub32};
  case O::F32Mul: return VfpOp{Opcode::FMul32};
  case O::F32Div: return VfpOp{Opcode::FDiv32};
  case O::F32Sqrt: return VfpOp{Opcode::FSqrt32};
  case O::F32Abs: return VfpOp{Opcode::FAbs32};
  case O::F32Neg: return VfpOp{Opcode::FNeg32};
  case O::F32Copysign: return VfpOp{Opcode::FCopySign32};
  case O::F32Eq: return VfpOp{Opcode::FSet32, Cond::Eq};
  case O::F32Ne: return VfpOp{Opcode::FSet32, Cond::Ne};
  case O::F32Lt: return VfpOp{Opcode::FSet32, Cond::SLt};
  case O::F32Gt: return VfpOp{Opcode::FSet32, Cond::SGt};
  case O::F32Le: return VfpOp{Opcode::FSet32, Cond::SLe};
  case O::F32Ge: return VfpOp{Opcode::FSet32, Cond::SGe};
  case O::F32ConvertI32S: return VfpOp{Opcode::FCvtF32S32};
  case O::F32ConvertI32U: return VfpOp{Opcode::FCvtF32U32};
  case O::I32TruncF32S: return VfpOp{Opcode::FTruncS32F32};
  case O::I32TruncF32U: return VfpOp{Opcode::FTruncU32F32};
  case O::I32TruncSatF32S: return VfpOp{Opcode::FTruncSatS32F32};
  case O::I32TruncSatF32U: return VfpOp{Opcode::FTruncSatU32F32};
  case O::I32ReinterpretF32: return VfpOp{Opcode::FMovToInt32};
  case O::F32ReinterpretI32: return VfpOp{Opcode::FMovFromInt32};
  // FPv5 only: VRINT for f32, and double precision
  case O::F32Ceil: return VfpOp{Opcode::FCeil32, Cond::None, true};
  case O::F32Floor: return VfpOp{Opcode::FFloor32, Cond::None, true};
  case O::F32Trunc: return VfpOp{Opcode::FTrunc32, Cond::None, true};
  case O::F32Nearest: return VfpOp{Opcode::FNearest32, Cond::None, true};
  case O::F64Add: return VfpOp{Opcode::FAdd64, Cond::None, true};
  case O::F64Sub: return VfpOp{Opcode::FSub64, Cond::None, true};
  case O::F64Mul: return VfpOp{Opcode::FMul64, Cond::None, true};
  case O::F64Div: return VfpOp{Opcode::FDiv64, Cond::None, true};
  case O::F64Sqrt: return VfpOp{Opcode::FSqrt64, Cond::None, true};
  case O::F64Abs: return VfpOp{Opcode::FAbs64, Cond::None, true};
  case O::F64Neg: return VfpOp{Opcode::FNeg64, Cond::None, true};
  case O::F64Copysign: return VfpOp{Opcode::FCopySign64, Cond::None, true};
  case O::F64Ceil: return VfpOp{Opcode::FCeil64, Cond::None, true};
  case O::F64Floor: return VfpOp{Opcode::FFloor64, Cond::None, true};
  case O::F64Trunc: return VfpOp{Opcode::FTrunc64, Cond::None, true};
  case O::F64Nearest: return VfpOp{Opcode::FNearest64, Cond::None, true};
  case O::F64Eq: return VfpOp{Opcode::FSet64, Cond::Eq, true};
  case O::F64Ne: return VfpOp{Opcode::FSet64, Cond::Ne, true};
  case O::F64Lt: return VfpOp{Opcode::FSet64, Cond::SLt, true};
  case O::F64Gt: return VfpOp{Opcode::FSet64, Cond::SGt, true};
  case O::F64Le: return VfpOp{Opcode::FSet64, Cond::SLe, true};
  case O::F64Ge: return VfpOp{Opcode::FSet64, Cond::SGe, true};
  case O::F64ConvertI32S: return VfpOp{Opcode::FCvtF64S32, Cond::None, true};
  case O::F64ConvertI32U: return VfpOp{Opcode::FCvtF64U32, Cond::None, true};
  case O::I32TruncF64S: return VfpOp{Opcode::FTruncS32F64, Cond::None, true};
  case O::I32TruncF64U: return VfpOp{Opcode::FTruncU32F64, Cond::None, true};
  case O::I32TruncSatF64S: return VfpOp{Opcode::FTruncSatS32F64, Cond::None, true};
  case O::I32TruncSatF64U: return VfpOp{Opcode::FTruncSatU32F64, Cond::None, true};
  case O::F64PromoteF32: return VfpOp{Opcode::FPromote, Cond::None, true};
  case O::F32DemoteF64: return VfpOp{Opcode::FDemote, Cond::None, true};
  case O::I64ReinterpretF64: return VfpOp{Opcode::FMovToInt64, Cond::None, true};
  case O::F64ReinterpretI64: return VfpOp{Opcode::FMovFromInt64, Cond::None, true};
  default: return std::nullopt;
  }
}

}  // namespace

bool FuncSelector::lowerVfp(wabt::Opcode op) {
  const std::optional<VfpOp> v = vfpOf(op);
  if (!v || (v->dp && !arm::hasF64(ctx_.opt.cpu))) return false;
  // Every operand is one vreg (an f32/f64 in a VFP register, an i32 word),
  // except f64.reinterpret_i64's i64 pair.
  const mir::OpcodeInfo &oi = mir::info(v->op);
  std::vector<Val> args(static_cast<size_t>(op == O::F64ReinterpretI64 ? 1 : oi.nuses));
  for (size_t k = args.size(); k-- > 0;) args[k] = pop();
  Instr in;
  in.op = v->op;
  in.cc = v->cc;
  for (const Val &a : args) {
    in.uses.push_back(Operand::vreg(a.lo));
    if (a.wide) in.uses.push_back(Operand::vreg(a.hi));
  }
  Val d = newTempOf(valueTypeOf(op.GetResultType()));
  in.defs.push_back(Operand::vreg(d.lo));
  if (d.wide) in.defs.push_back(Operand::vreg(d.hi));
  emit(std::move(in));
  push(d);
  return true;
}

}  // namespace vcr::select::detail
