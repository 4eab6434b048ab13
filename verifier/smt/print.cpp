// SMT-LIB2 text of DAG terms: Context::str and the self-contained goal files of Solver::toSmtLib.
#include "verifier/smt/dag.h"

#include <algorithm>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

namespace vcr::verifier::smt {

namespace {

/// A variable name as an SMT-LIB symbol (|quoted| unless simple).
std::string symbol(const std::string &name) {
  auto simpleChar = [](char ch) {
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
           std::string_view("~!@$%^&*_-+=<>.?/").find(ch) != std::string_view::npos;
  };
  bool simple = !name.empty() && !(name[0] >= '0' && name[0] <= '9') && name[0] != '@' &&
                name[0] != '.';
  for (char ch : name) simple = simple && simpleChar(ch);
  if (simple) return name;
  std::string q = "|";
  for (char ch : name) q += (ch == '|' || ch == '\\') ? '_' : ch;
  return q + "|";
}

std::string sortText(const Node &n) {
  switch (n.sort) {
  case Sort::BV: return "(_ BitVec " + std::to_string(n.width) + ")";
  case Sort::Bool: return "Bool";
  case Sort::Mem: return "(Array (_ BitVec 32) (_ BitVec 8))";
  case Sort::Glob: return "(Array (_ BitVec 32) (_ BitVec 32))";
  }
  return "Bool";
}

const char *opName(Op op) {
  switch (op) {
  case Op::Add: return "bvadd";
  case Op::Sub: return "bvsub";
  case Op::Mul: return "bvmul";
  case Op::And: return "bvand";
  case Op::Or: return "bvor";
  case Op::Xor: return "bvxor";
  case Op::Shl: return "bvshl";
  case Op::LShr: return "bvlshr";
  case Op::AShr: return "bvashr";
  case Op::UDiv: return "bvudiv";
  case Op::SDiv: return "bvsdiv";
  case Op::URem: return "bvurem";
  case Op::SRem: return "bvsrem";
  case Op::Not: return "bvnot";
  case Op::Eq: return "=";
  case Op::ULt: return "bvult";
  case Op::ULe: return "bvule";
  case Op::SLt: return "bvslt";
  case Op::SLe: return "bvsle";
  case Op::Concat: return "concat";
  case Op::Ite: return "ite";
  case Op::LAnd: return "and";
  case Op::LOr: return "or";
  case Op::LNot: return "not";
  case Op::Select: return "select";
  case Op::Store: return "store";
  default: return "?";
  }
}

std::string literal(const Node &n) {
  if (n.sort == Sort::Bool) return n.val ? "true" : "false";
  static const char *hex = "0123456789abcdef";
  std::string s;
  if (n.width % 4 == 0) {
    s = "#x";
    for (int k = n.width / 4 - 1; k >= 0; --k) s += hex[(n.val >> (4 * k)) & 15];
  } else {
    s = "#b";
    for (int k = n.width - 1; k >= 0; --k) s += ((n.val >> k) & 1) ? '1' : '0';
  }
  return s;
}

/// Prints nodes inline, naming the nodes chosen for binding: those used
/// twice or more (no exponential blow-up) and every 24th level of a chain
/// (no deep nesting).
struct Printer {
  const Context::Impl &c;
  std::vector<uint32_t> order;
  std::vector<bool> bound;
  std::unordered_map<uint32_t, std::string> vars;  ///< variable node -> its symbol here

  Printer(const Context::Impl &ctx, uint32_t root) : c(ctx), order(topoOrder(ctx, {root})) {
    nameVariables();
    std::vector<unsigned> uses(c.nodes.size(), 0), height(c.nodes.size(), 0);
    bound.assign(c.nodes.size(), false);
    for (uint32_t id : order)
      for (unsigned k = 0; k < c.nodes[id].nkids; ++k) ++uses[c.nodes[id].kid[k]];
    for (uint32_t id : order) {
      const Node &n = c.nodes[id];
      if (n.nkids == 0) continue;
      unsigned h = 0;
      for (unsigned k = 0; k < n.nkids; ++k)
        if (!bound[n.kid[k]]) h = std::max(h, height[n.kid[k]]);
      height[id] = h + 1;
      bound[id] = id != root && (uses[id] >= 2 || height[id] >= 24);
    }
  }
  static std::string name(uint32_t id) { return "t!" + std::to_string(id); }

  /// Symbols of the variables: interned names as they are, keyed variables
  /// by display name unless it is taken, then by their unique name.
  void nameVariables() {
    std::unordered_set<std::string> taken;
    for (uint32_t id : order) {
      const Node &n = c.nodes[id];
      if ((n.op == Op::Var || n.op == Op::ArrayVar) && !(n.val & kKeyed))
        taken.insert(vars[id] = c.names[n.val]);
    }
    for (uint32_t id : order) {
      const Node &n = c.nodes[id];
      if ((n.op != Op::Var && n.op != Op::ArrayVar) || !(n.val & kKeyed)) continue;
      std::string d = c.displayName(id);
      if (!taken.insert(d).second) taken.insert(d = c.uniqueName(id));
      vars[id] = std::move(d);
    }
  }

  void ref(uint32_t id, std::string &out) const {
    if (bound[id]) out += name(id);
    else body(id, out);
  }
  void body(uint32_t id, std::string &out) const {
    const Node &n = c.nodes[id];
    switch (n.op) {
    case Op::Const: out += literal(n); return;
    case Op::Var: case Op::ArrayVar: out += symbol(vars.at(id)); return;
    case Op::Extract:
      out += "((_ extract " + std::to_string(n.val >> 8) + " " + std::to_string(n.val & 0xff) + ") ";
      break;
    case Op::SExt: out += "((_ sign_extend " + std::to_string(n.val) + ") "; break;
    default: out += "("; out += opName(n.op); out += " "; break;
    }
    for (unsigned k = 0; k < n.nkids; ++k) {
      if (k) out += " ";
      ref(n.kid[k], out);
    }
    out += ")";
  }
};

}  // namespace

std::string Context::str(Term a) const {
  (void)impl_->node(a.id);
  Printer p(*impl_, a.id);
  std::string out, close;
  for (uint32_t id : p.order)
    if (p.bound[id]) {
      out += "(let ((" + Printer::name(id) + " ";
      p.body(id, out);
      out += ")) ";
      close += ")";
    }
  p.ref(a.id, out);
  return out + close;
}

/// SMT-LIB2 file asking for a model of (not goal); used by Solver::toSmtLib.
std::string smtLibQuery(const Context::Impl &c, const std::string &name, uint32_t goal) {
  Printer p(c, goal);
  std::string out = "; obligation " + name + ": unsat means proved\n(set-logic QF_ABV)\n";
  for (uint32_t id : p.order) {
    const Node &n = c.nodes[id];
    if (n.op == Op::Var || n.op == Op::ArrayVar)
      out += "(declare-fun " + symbol(p.vars.at(id)) + " () " + sortText(n) + ")\n";
  }
  for (uint32_t id : p.order)
    if (p.bound[id]) {
      out += "(define-fun " + Printer::name(id) + " () " + sortText(c.nodes[id]) + " ";
      p.body(id, out);
      out += ")\n";
    }
  out += "(assert (not ";
  p.ref(goal, out);
  out += "))\n(check-sat)\n";
  return out;
}

}  // namespace vcr::verifier::smt
