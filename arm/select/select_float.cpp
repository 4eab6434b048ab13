// Selection of f32/f64 operators as words (cortex-m4 all of them, cortex-m4f its f64): f32
// is one word, f64 a lo/hi pair; bit operations inline, everything else a runtime call.
#include "arm/select/select_internal.h"

#include "core/ir/runtime_calls.h"

namespace vcr::select::detail {

using mir::Instr;
using mir::Opcode;
using mir::Operand;
using mir::VReg;
using O = wabt::Opcode;

namespace {
constexpr uint32_t kSign = 0x80000000u, kMagnitude = 0x7fffffffu;

/// The runtime routine of a float operator lowered to one call with the
/// operator's own operands and result; nullptr for the others.
const char *routineOf(wabt::Opcode op) {
  switch (op) {
  case O::F32Add: return "__aeabi_fadd";
  case O::F32Sub: return "__aeabi_fsub";
  case O::F32Mul: return "__aeabi_fmul";
  case O::F32Div: return "__aeabi_fdiv";
  // libgcc's __aeabi_dadd/dsub misround when the exponents differ by 33 or more and the
  // result renormalises (README, "Floating point"): f64 add/sub are ours
  case O::F64Add: return "__vcr_fp_dadd";
  case O::F64Sub: return "__vcr_fp_dsub";
  case O::F64Mul: return "__aeabi_dmul";
  case O::F64Div: return "__aeabi_ddiv";
  case O::F32Eq: return "__aeabi_fcmpeq";
  case O::F32Lt: return "__aeabi_fcmplt";
  case O::F32Le: return "__aeabi_fcmple";
  case O::F32Gt: return "__aeabi_fcmpgt";
  case O::F32Ge: return "__aeabi_fcmpge";
  case O::F64Eq: return "__aeabi_dcmpeq";
  case O::F64Lt: return "__aeabi_dcmplt";
  case O::F64Le: return "__aeabi_dcmple";
  case O::F64Gt: return "__aeabi_dcmpgt";
  case O::F64Ge: return "__aeabi_dcmpge";
  case O::F32ConvertI32S: return "__aeabi_i2f";
  case O::F32ConvertI32U: return "__aeabi_ui2f";
  case O::F32ConvertI64S: return "__aeabi_l2f";
  case O::F32ConvertI64U: return "__aeabi_ul2f";
  case O::F64ConvertI32S: return "__aeabi_i2d";
  case O::F64ConvertI32U: return "__aeabi_ui2d";
  case O::F64ConvertI64S: return "__aeabi_l2d";
  case O::F64ConvertI64U: return "__aeabi_ul2d";
  case O::F64PromoteF32: return "__aeabi_f2d";
  case O::F32DemoteF64: return "__aeabi_d2f";
  case O::F32Sqrt: return "__vcr_fp_fsqrt";
  case O::F64Sqrt: return "__vcr_fp_dsqrt";
  case O::F32Min: return "__vcr_fp_fmin";
  case O::F32Max: return "__vcr_fp_fmax";
  case O::F64Min: return "__vcr_fp_dmin";
  case O::F64Max: return "__vcr_fp_dmax";
  case O::F32Ceil: return "__vcr_fp_fceil";
  case O::F32Floor: return "__vcr_fp_ffloor";
  case O::F32Trunc: return "__vcr_fp_ftrunc";
  case O::F32Nearest: return "__vcr_fp_fnearest";
  case O::F64Ceil: return "__vcr_fp_dceil";
  case O::F64Floor: return "__vcr_fp_dfloor";
  case O::F64Trunc: return "__vcr_fp_dtrunc";
  case O::F64Nearest: return "__vcr_fp_dnearest";
  case O::I32TruncF32S: return "__vcr_fp_f2i_s";
  case O::I32TruncF32U: return "__vcr_fp_f2i_u";
  case O::I64TruncF32S: return "__vcr_fp_f2l_s";
  case O::I64TruncF32U: return "__vcr_fp_f2l_u";
  case O::I32TruncF64S: return "__vcr_fp_d2i_s";
  case O::I32TruncF64U: return "__vcr_fp_d2i_u";
  case O::I64TruncF64S: return "__vcr_fp_d2l_s";
  case O::I64TruncF64U: return "__vcr_fp_d2l_u";
  case O::I32TruncSatF32S: return "__vcr_fp_f2i_sat_s";
  case O::I32TruncSatF32U: return "__vcr_fp_f2i_sat_u";
  case O::I64TruncSatF32S: return "__vcr_fp_f2l_sat_s";
  case O::I64TruncSatF32U: return "__vcr_fp_f2l_sat_u";
  case O::I32TruncSatF64S: return "__vcr_fp_d2i_sat_s";
  case O::I32TruncSatF64U: return "__vcr_fp_d2i_sat_u";
  case O::I64TruncSatF64S: return "__vcr_fp_d2l_sat_s";
  case O::I64TruncSatF64U: return "__vcr_fp_d2l_sat_u";
  default: return nullptr;
  }
}
}  // namespace

FuncSelector::Val FuncSelector::callRuntime(const std::string &name, wabt::Type result) {
  auto index = mir::findRuntimeFn(name);
  if (!index) throw DeclineError{"internal error: no runtime routine @" + name};
  const mir::Signature &sig = mir::runtimeFns()[*index].sig;
  const size_t nargs = sig.params.size();
  if (sig.results.size() != 1 || stack_.size() < nargs)
    throw DeclineError{"internal error: runtime routine @" + name + " does not fit the operand stack"};
  Instr call;
  call.op = Opcode::Call;
  call.callee = name;
  // Runtime routines take core words (base AAPCS): VFP values are moved out first.
  for (size_t i = stack_.size() - nargs; i < stack_.size(); ++i) {
    const Val &v = stack_[i];
    if (v.vfp == 32) {
      VReg w = newScratch();
      emitOp(Opcode::FMovToInt32, {w}, {v.lo});
      call.uses.push_back(Operand::vreg(w));
    } else if (v.vfp == 64) {
      VReg lo = newScratch(), hi = newScratch();
      emitOp(Opcode::FMovToInt64, {lo, hi}, {v.lo});
      call.uses.push_back(Operand::vreg(lo));
      call.uses.push_back(Operand::vreg(hi));
    } else {
      call.uses.push_back(Operand::vreg(v.lo));
      if (v.wide) call.uses.push_back(Operand::vreg(v.hi));
    }
  }
  for (size_t i = 0; i < nargs; ++i) (void)pop();
  Val r = newTemp(sig.results[0] == mir::ValType::I64);
  call.defs.push_back(Operand::vreg(r.lo));
  if (r.wide) call.defs.push_back(Operand::vreg(r.hi));
  emit(std::move(call));
  const mir::ValType vt = valueTypeOf(result);
  if (!mir::isVfpType(vt)) return r;
  Val d = newTempOf(vt);  // the result's words back into a VFP register
  if (vt == mir::ValType::F32) emitOp(Opcode::FMovFromInt32, {d.lo}, {r.lo});
  else emitOp(Opcode::FMovFromInt64, {d.lo}, {r.lo, r.hi});
  return d;
}

bool FuncSelector::lowerFloat(const wabt::Expr &, wabt::Opcode op) {
  if (!arm::softFloat(ctx_.opt.cpu) && lowerVfp(op)) return true;
  // What the FPU lacks (every operator on cortex-m4) is the cortex-m4 routine.
  if (const char *rt = routineOf(op)) {
    push(callRuntime(rt, op.GetResultType()));
    return true;
  }
  // The high word of an f64 holds its sign; the low word passes through.
  auto signOp = [&](Opcode mop, uint32_t mask) {
    Val a = pop();
    Val d = newTemp(a.wide);
    if (a.wide) {
      emitMov(d.lo, a.lo);
      emitOpImm(mop, d.hi, a.hi, mask);
    } else {
      emitOpImm(mop, d.lo, a.lo, mask);
    }
    push(d);
  };
  switch (op) {
  case O::F32Ne:
  case O::F64Ne: {  // ne is !eq: true when either operand is NaN, as wasm wants
    Val eq = callRuntime(op == O::F32Ne ? "__aeabi_fcmpeq" : "__aeabi_dcmpeq");
    Val d = newTemp(false);
    emitOpImm(Opcode::Eor, d.lo, eq.lo, 1);
    push(d);
    return true;
  }
  case O::F32Abs: case O::F64Abs: signOp(Opcode::And, kMagnitude); return true;
  case O::F32Neg: case O::F64Neg: signOp(Opcode::Eor, kSign); return true;
  case O::F32Copysign: case O::F64Copysign: {
    Val b = pop(), a = pop();
    Val d = newTemp(a.wide);
    VReg mag = newScratch(), sign = newScratch();
    emitOpImm(Opcode::And, mag, a.wide ? a.hi : a.lo, kMagnitude);
    emitOpImm(Opcode::And, sign, b.wide ? b.hi : b.lo, kSign);
    if (a.wide) {
      emitMov(d.lo, a.lo);
      emitOp(Opcode::Orr, {d.hi}, {mag, sign});
    } else {
      emitOp(Opcode::Orr, {d.lo}, {mag, sign});
    }
    push(d);
    return true;
  }
  // Reinterpretation changes no bits: the operand stays, as its own words.
  case O::I32ReinterpretF32: case O::F32ReinterpretI32:
  case O::I64ReinterpretF64: case O::F64ReinterpretI64: return true;
  default: return false;
  }
}

}  // namespace vcr::select::detail
