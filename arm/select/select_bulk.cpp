// Selection of bulk memory: memory.copy, memory.fill, memory.init and data.drop as calls of the bulk-memory runtime routines.
#include "arm/select/select_internal.h"

#include "core/ir/runtime_calls.h"

#include <wabt/cast.h>

namespace vcr::select::detail {

using mir::Instr;
using mir::Opcode;

void FuncSelector::lowerBulk(const wabt::Expr &e) {
  uint32_t routine = 0;
  // memory.init / data.drop name a data segment: it is passed as a constant
  // last argument (the routines keep each segment's dropped state).
  auto segmentArg = [&](const wabt::Var &var) {
    const wabt::Index seg = ctx_.wm->GetDataSegmentIndex(var);
    if (seg >= ctx_.wm->data_segments.size()) decline(e, "unknown data segment");
    Val v = newTemp(false);
    emitMovI(v.lo, static_cast<uint32_t>(seg));
    push(v);
  };
  switch (e.type()) {
  case wabt::ExprType::MemoryInit:
    routine = mir::memoryInitFn();
    segmentArg(wabt::cast<wabt::MemoryInitExpr>(&e)->var);
    break;
  case wabt::ExprType::DataDrop:
    routine = mir::dataDropFn();
    segmentArg(wabt::cast<wabt::DataDropExpr>(&e)->var);
    break;
  case wabt::ExprType::MemoryCopy: routine = mir::memoryCopyFn(); break;
  case wabt::ExprType::MemoryFill: routine = mir::memoryFillFn(); break;
  default: decline(e, "unsupported bulk-memory operator");
  }
  // (dst, src or value, n[, segment]) or (segment): i32 operands, no result.
  // The routine checks the bounds and traps oob itself (docs/mir.md "Bulk memory").
  const mir::RuntimeFn &fn = mir::runtimeFns()[routine];
  const size_t nargs = fn.sig.params.size();
  if (stack_.size() < nargs) throw DeclineError{"internal error: operand stack underflow"};
  Instr call;
  call.op = Opcode::Call;
  call.callee = std::string(fn.name);
  call.uses = resultWords(nargs);
  for (size_t i = 0; i < nargs; ++i) (void)pop();
  emit(std::move(call));
}

}  // namespace vcr::select::detail
