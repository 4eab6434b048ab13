// Selection of wasm control flow: block/loop/if, br, br_if, br_table, return.
#include "arm/select/select_internal.h"

#include <wabt/cast.h>

#include <map>

namespace vcr::select::detail {

using mir::Instr;
using mir::Opcode;
using mir::Operand;

FuncSelector::BlockType FuncSelector::blockType(const wabt::Block &b, const wabt::Expr &e) {
  const wabt::FuncSignature *sig = &b.decl.sig;
  if (b.decl.has_func_type)
    if (const auto *ft = ctx_.wm->GetFuncType(b.decl.type_var)) sig = &ft->sig;
  BlockType out;
  for (wabt::Type t : sig->param_types) {
    auto vt = valueType(t, ctx_.opt.cpu);
    if (!vt) decline(e, "unsupported block parameter type '" + t.GetName() + "'");
    out.params.push_back(*vt);
  }
  for (wabt::Type t : sig->result_types) {
    auto vt = valueType(t, ctx_.opt.cpu);
    if (!vt) decline(e, "unsupported block result type '" + t.GetName() + "'");
    out.results.push_back(*vt);
  }
  if (stack_.size() < out.params.size()) throw DeclineError{"internal error: operand stack underflow"};
  return out;
}

FuncSelector::Ctrl &FuncSelector::label(uint32_t depth, const wabt::Expr &e) {
  if (depth >= ctrls_.size()) decline(e, "branch depth " + std::to_string(depth) + " out of range");
  return ctrls_[ctrls_.size() - 1 - depth];
}

mir::BlockId FuncSelector::targetOf(Ctrl &c) {
  if (!c.target) c.target = newBlock();
  return *c.target;
}

mir::OperandList FuncSelector::resultWords(size_t n) {
  if (stack_.size() < n) throw DeclineError{"internal error: operand stack underflow"};
  mir::OperandList words;
  for (size_t i = stack_.size() - n; i < stack_.size(); ++i) {
    words.push_back(Operand::vreg(stack_[i].lo));
    if (stack_[i].wide) words.push_back(Operand::vreg(stack_[i].hi));
  }
  return words;
}

// The values a branch carries go to the label's result vregs.
void FuncSelector::moveResults(Ctrl &c) {
  size_t n = c.resultRegs.size();
  if (stack_.size() < n) throw DeclineError{"internal error: operand stack underflow"};
  for (size_t i = 0; i < n; ++i) {
    const Val &v = stack_[stack_.size() - n + i];
    const Val &r = c.resultRegs[i];
    emitMov(r.lo, v.lo);
    if (r.wide) emitMov(r.hi, v.hi);
  }
}

// wasm_load rejects deeper input; this keeps the recursion bounded whatever
// the caller passes.
void FuncSelector::checkNesting(const wabt::Expr &e) const {
  if (ctrls_.size() > kMaxNesting)
    decline(e, "block/loop/if nesting deeper than " + std::to_string(kMaxNesting));
}

void FuncSelector::lowerBlock(const wabt::Block &b, Ctrl::Kind kind, const wabt::Expr &e) {
  checkNesting(e);
  const BlockType bt = blockType(b, e);
  copyAliasesWrittenIn(b.exprs);
  Ctrl c;
  c.kind = kind;
  c.height = stack_.size() - bt.params.size();  // the parameters belong to the block
  if (kind == Ctrl::Kind::Loop) {
    // A branch to a loop carries the loop's parameters (multi-value): they
    // live in fresh vregs the entry and every back edge assign (lowerBrIf
    // assigns them on the taken edge only); the loop's results are whatever
    // the body leaves on the stack.
    c.results = bt.params;
    for (auto t : bt.params) c.resultRegs.push_back(newTempOf(t));
    moveResults(c);
    stack_.resize(c.height);
    mir::BlockId head = newBlock();
    Instr br;
    br.op = Opcode::Br;
    br.targets = {head};
    terminate(std::move(br));
    startBlock(head);
    for (const Val &r : c.resultRegs) push(r);
    c.target = head;
    ctrls_.push_back(std::move(c));
    walk(b.exprs);
    ctrls_.pop_back();
    return;
  }
  c.results = bt.results;
  for (auto t : bt.results) c.resultRegs.push_back(newTempOf(t));
  ctrls_.push_back(std::move(c));
  walk(b.exprs);
  endConstruct();
}

// End of a block or if: join the fallthrough with the branches to the end.
void FuncSelector::endConstruct() {
  Ctrl c = std::move(ctrls_.back());
  ctrls_.pop_back();
  if (reachable_ && !c.target) return;  // nothing branches here: just fall through
  if (reachable_) {
    moveResults(c);
    Instr br;
    br.op = Opcode::Br;
    br.targets = {*c.target};
    terminate(std::move(br));
  }
  stack_.resize(c.height);
  if (!c.target) return;  // neither falls through nor is branched to: dead
  startBlock(*c.target);
  for (const Val &r : c.resultRegs) push(r);
}

void FuncSelector::lowerIf(const wabt::IfExpr &ie) {
  checkNesting(ie);
  Val cond = pop();
  const BlockType bt = blockType(ie.true_, ie);
  copyAliasesWrittenIn(ie);
  Ctrl c;
  c.kind = Ctrl::Kind::If;
  c.height = stack_.size() - bt.params.size();
  // Both arms start from the parameters (multi-value): the else arm gets the
  // same operand-stack values back (aliases of locals either arm writes were
  // copied above, so the values are those at the `if`).
  const std::vector<Val> params(stack_.begin() + static_cast<std::ptrdiff_t>(c.height), stack_.end());
  c.results = bt.results;
  for (auto t : bt.results) c.resultRegs.push_back(newTempOf(t));
  bool hasElse = !ie.false_.empty();
  mir::BlockId thenB = newBlock();
  // Without an else, the false edge goes straight to the end, unless it must
  // carry parameters there (then the parameters are the results: validation).
  mir::BlockId elseB = hasElse || !params.empty() ? newBlock() : targetOf(c);
  Instr brif;
  brif.op = Opcode::BrIf;
  brif.uses = {Operand::vreg(cond.lo)};
  brif.targets = {thenB, elseB};
  terminate(std::move(brif));
  ctrls_.push_back(std::move(c));
  startBlock(thenB);
  walk(ie.true_.exprs);
  if (reachable_) {
    Ctrl &top = ctrls_.back();
    moveResults(top);
    Instr br;
    br.op = Opcode::Br;
    br.targets = {targetOf(top)};
    terminate(std::move(br));
  }
  stack_.resize(ctrls_.back().height);
  if (hasElse) {
    startBlock(elseB);
    for (const Val &v : params) push(v);
    walk(ie.false_);
  } else if (!params.empty()) {
    startBlock(elseB);
    for (const Val &v : params) push(v);
    moveResults(ctrls_.back());
    Instr br;
    br.op = Opcode::Br;
    br.targets = {targetOf(ctrls_.back())};
    terminate(std::move(br));
    stack_.resize(ctrls_.back().height);
  }
  endConstruct();
}

void FuncSelector::lowerBr(const wabt::Expr &e, uint32_t depth) {
  Ctrl &c = label(depth, e);
  if (c.kind == Ctrl::Kind::Func) {
    lowerReturn();
    return;
  }
  moveResults(c);
  Instr br;
  br.op = Opcode::Br;
  br.targets = {targetOf(c)};
  terminate(std::move(br));
}

void FuncSelector::lowerBrIf(const wabt::Expr &e, uint32_t depth) {
  Val cond = pop();
  Ctrl &c = label(depth, e);
  Instr brif;
  brif.op = Opcode::BrIf;
  brif.uses = {Operand::vreg(cond.lo)};
  if (c.kind == Ctrl::Kind::Func) {
    mir::BlockId ret = newBlock(), cont = newBlock();
    brif.targets = {ret, cont};
    terminate(std::move(brif));
    startBlock(ret);
    lowerReturn();
    startBlock(cont);
    return;
  }
  if (c.kind == Ctrl::Kind::Loop && !c.resultRegs.empty()) {
    // Back to a loop with parameters: its parameter vregs may still be on
    // the operand stack below the values carried, so they are assigned on
    // the taken edge only, never on the path that falls through.
    mir::BlockId edge = newBlock(), cont = newBlock();
    brif.targets = {edge, cont};
    terminate(std::move(brif));
    startBlock(edge);
    moveResults(c);
    Instr br;
    br.op = Opcode::Br;
    br.targets = {targetOf(c)};
    terminate(std::move(br));
    startBlock(cont);
    return;
  }
  moveResults(c);
  mir::BlockId taken = targetOf(c), cont = newBlock();
  brif.targets = {taken, cont};
  terminate(std::move(brif));
  startBlock(cont);
}

// br_table: targets that need values moved (or a return) get an edge block
// each, placed right after the br_table; the others are branched to directly.
void FuncSelector::lowerBrTable(const wabt::BrTableExpr &e) {
  Val index = pop();
  std::vector<uint32_t> depths;
  for (const auto &v : e.targets) depths.push_back(v.index());
  depths.push_back(e.default_target.index());
  std::map<uint32_t, mir::BlockId> edges;
  std::vector<uint32_t> edgeOrder;
  Instr bt;
  bt.op = Opcode::BrTable;
  bt.uses = {Operand::vreg(index.lo)};
  for (uint32_t d : depths) {
    Ctrl &c = label(d, e);
    if (c.kind != Ctrl::Kind::Func && c.resultRegs.empty()) {
      bt.targets.push_back(targetOf(c));
      continue;
    }
    auto it = edges.find(d);
    if (it == edges.end()) {
      it = edges.emplace(d, newBlock()).first;
      edgeOrder.push_back(d);
    }
    bt.targets.push_back(it->second);
  }
  terminate(std::move(bt));
  for (uint32_t d : edgeOrder) {
    startBlock(edges[d]);
    lowerBr(e, d);
  }
}

void FuncSelector::lowerReturn() {
  Instr ret;
  ret.op = Opcode::Ret;
  ret.uses = sigOperands(out_.sig.results);
  terminate(std::move(ret));
}

}  // namespace vcr::select::detail
