// Selection of bulk memory: memory.copy and memory.fill as calls of the bulk-memory runtime routines.
#include "arm/select/select_internal.h"

#include "core/ir/runtime_calls.h"

namespace vcr::select::detail {

using mir::Instr;
using mir::Opcode;

void FuncSelector::lowerBulk(const wabt::Expr &e) {
  uint32_t routine = 0;
  switch (e.type()) {
  case wabt::ExprType::MemoryCopy: routine = mir::memoryCopyFn(); break;
  case wabt::ExprType::MemoryFill: routine = mir::memoryFillFn(); break;
  default: decline(e, "unsupported bulk-memory operator");
  }
  // (dst, src or value, n): three i32 operands, no result. The routine
  // checks the bounds and traps oob itself (docs/mir.md "Bulk memory").
  if (stack_.size() < 3) throw DeclineError{"internal error: operand stack underflow"};
  Instr call;
  call.op = Opcode::Call;
  call.callee = std::string(mir::runtimeFns()[routine].name);
  call.uses = resultWords(3);
  for (int i = 0; i < 3; ++i) (void)pop();
  emit(std::move(call));
}

}  // namespace vcr::select::detail
