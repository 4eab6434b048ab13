// Statement half of the wasm generator: local/global/memory writes, if/else,
// blocks with br_if exits, counted loops, br_table dispatch, calls, rare
// returns and traps, the pressure group, and the function frame.

#include "corpus/gen/gen_internal.h"

#include <algorithm>
#include <array>

namespace vcr::gen::detail {

namespace {

std::string tn(Ty t) { return tyName(t); }

std::string pad(unsigned ind) { return "\n" + std::string(ind, ' '); }

unsigned pickWeighted(Rng &rng, const std::vector<double> &w) {
  double total = 0;
  for (double x : w)
    total += x;
  double r = static_cast<double>(rng.next() >> 11) * 0x1.0p-53 * total;
  for (unsigned i = 0; i < w.size(); ++i) {
    if (r < w[i])
      return i;
    r -= w[i];
  }
  return static_cast<unsigned>(w.size() - 1);
}

}  // namespace

FuncGen::FuncGen(Rng &rng, const GenOptions &opt, Sig sig, std::vector<Callee> callees,
                 unsigned budget, unsigned pressure)
    : rng_(rng), opt_(opt), sig_(std::move(sig)), callees_(std::move(callees)), budget_(budget),
      pressure_(pressure), i64_(opt.i64Share > 0), floats_(opt.floatShare > 0) {
  for (size_t i = 0; i < sig_.params.size(); ++i)
    locals_.push_back({"$p" + std::to_string(i), sig_.params[i], true});
}

std::string FuncGen::newLabel() { return "$b" + std::to_string(labelCount_++); }

unsigned FuncGen::newLocal(Ty t, const std::string &prefix, bool writable) {
  unsigned n = 0;
  for (const Local &l : locals_)
    if (l.name.rfind(prefix, 0) == 0)
      ++n;
  locals_.push_back({prefix + std::to_string(n), t, writable});
  return static_cast<unsigned>(locals_.size() - 1);
}

std::optional<unsigned> FuncGen::pickLocal(Ty t, bool forWrite) {
  std::vector<unsigned> c;
  for (unsigned i = 0; i < locals_.size(); ++i)
    if (locals_[i].ty == t && (!forWrite || locals_[i].writable))
      c.push_back(i);
  if (c.empty())
    return std::nullopt;
  return rng_.pick(c);
}

std::string FuncGen::stmtList(unsigned n, unsigned ind) {
  std::string s;
  for (unsigned i = 0; i < n; ++i)
    s += ind ? stmt(ind) : " " + stmt(0);
  return s;
}

std::string FuncGen::setStmt(unsigned ind) {
  Ty t = pickTy();
  auto l = pickLocal(t, true);
  if (!l) {
    t = Ty::I32;
    l = pickLocal(t, true);
  }
  count();
  std::string e = expr(t, 1 + rng_.below(4));
  return (ind ? pad(ind) : "") + "(local.set " + locals_[*l].name + " " + e + ")";
}

std::string FuncGen::storeStmt(unsigned ind) {
  static const std::array<const char *, 3> s32 = {"store8", "store16", "store"};
  static const std::array<const char *, 4> s64 = {"store8", "store16", "store32", "store"};
  static const std::array<unsigned, 6> offsets = {0, 0, 3, 4, 8, 500};
  Ty t = pickTy();
  count();
  const char *op = isFloat(t) ? "store" : t == Ty::I32 ? s32[rng_.below(s32.size())] : s64[rng_.below(s64.size())];
  unsigned off = offsets[rng_.below(offsets.size())];
  std::string o = off ? " offset=" + std::to_string(off) : "";
  std::string a = address(2);
  std::string v = expr(t, 2);
  if (isFloat(t))
    v = canon(v, t);  // the bits of a NaN are open in wasm
  return (ind ? pad(ind) : "") + "(" + tn(t) + "." + op + o + " " + a + " " + v + ")";
}

std::string FuncGen::ifStmt(unsigned ind) {
  count();
  ++ctrlNest_;
  unsigned in = ind ? ind + 2 : 0;
  std::string s = (ind ? pad(ind) : "") + "(if " + expr(Ty::I32, 2) + (ind ? pad(ind + 1) : " ") + "(then";
  s += stmtList(1 + rng_.below(3), in) + ")";
  if (rng_.chance(0.6)) {
    count();
    s += (ind ? pad(ind + 1) : " ") + "(else" + stmtList(1 + rng_.below(2), in) + ")";
  }
  --ctrlNest_;
  return s + ")";
}

std::string FuncGen::blockStmt(unsigned ind) {
  std::string l = newLabel();
  count(2);
  ++ctrlNest_;
  labels_.push_back({l, false, std::nullopt});
  unsigned in = ind ? ind + 2 : 0;
  std::string s = (ind ? pad(ind) : "") + "(block " + l;
  s += stmtList(rng_.below(3), in);
  s += (in ? pad(in) : " ") + "(br_if " + l + " " + expr(Ty::I32, 2) + ")";
  s += stmtList(1 + rng_.below(2), in) + ")";
  labels_.pop_back();
  --ctrlNest_;
  return s;
}

std::string FuncGen::loopStmt(unsigned ind) {
  // A counted loop: the counter is a fresh local no other statement writes.
  unsigned c = newLocal(Ty::I32, "$c", false);
  const std::string cn = locals_[c].name;  // a copy: nested loops grow locals_
  std::string l = newLabel();
  unsigned iters = 1 + rng_.below(6);
  count(8);
  ++ctrlNest_;
  ++loopNest_;
  labels_.push_back({l, true, std::nullopt});
  unsigned in = ind ? ind + 2 : 0;
  std::string s = (ind ? pad(ind) : "") + "(local.set " + cn + " (i32.const " + std::to_string(iters) + "))";
  std::optional<unsigned> dst;
  Ty rt = pickTy();
  if (rng_.chance(0.3))
    dst = pickLocal(rt, true);
  s += (ind ? pad(ind) : " ");
  if (dst)
    s += "(local.set " + locals_[*dst].name + " (loop " + l + " (result " + tn(rt) + ")";
  else
    s += "(loop " + l;
  s += stmtList(1 + rng_.below(3), in);
  s += (in ? pad(in) : " ") + "(local.set " + cn + " (i32.sub (local.get " + cn + ") (i32.const 1)))";
  s += (in ? pad(in) : " ") + "(br_if " + l + " (i32.gt_s (local.get " + cn + ") (i32.const 0)))";
  if (dst)
    s += (in ? pad(in) : " ") + expr(rt, 2) + "))";
  else
    s += ")";
  labels_.pop_back();
  --loopNest_;
  --ctrlNest_;
  return s;
}

std::string FuncGen::brTableStmt(unsigned ind) {
  // (block $exit (block $cN .. (block $c0 (br_table ..)) case0 (br $exit)) .. caseN)
  unsigned n = 2 + rng_.below(3);
  std::string exit = newLabel();
  std::vector<std::string> cases;
  for (unsigned i = 0; i < n; ++i)
    cases.push_back(newLabel());
  count(2 + 2 * n);
  ++ctrlNest_;
  unsigned in = ind ? ind + 2 : 0;
  std::string s = (ind ? pad(ind) : "") + "(block " + exit;
  labels_.push_back({exit, false, std::nullopt});
  for (unsigned i = n; i-- > 0;)
    s += " (block " + cases[i];
  std::string targets;
  unsigned nt = 1 + rng_.below(n + 2);
  for (unsigned i = 0; i <= nt; ++i)
    targets += (rng_.below(n + 1) == n ? exit : cases[rng_.below(n)]) + " ";
  std::string idx = expr(Ty::I32, 2);
  if (rng_.chance(0.7))
    idx = "(i32.and " + idx + " (i32.const 3))";
  s += (in ? pad(in) : " ") + "(br_table " + targets + idx + ")";
  for (unsigned i = 0; i < n; ++i) {
    s += ")";  // closes case block i; its code follows
    s += stmtList(1 + rng_.below(2), in);
    if (rng_.chance(0.7))
      s += (in ? pad(in) : " ") + "(br " + exit + ")";
  }
  labels_.pop_back();
  --ctrlNest_;
  return s + ")";
}

std::string FuncGen::branchStmt(unsigned ind) {
  std::vector<unsigned> targets;
  for (unsigned i = 0; i < labels_.size(); ++i)
    if (!labels_[i].isLoop)
      targets.push_back(i);
  if (targets.empty())
    return setStmt(ind);
  const Label l = labels_[rng_.pick(targets)];  // a copy: expr() may grow labels_
  count();
  std::string c = expr(Ty::I32, 2);
  std::string s = ind ? pad(ind) : "";
  if (!l.result)
    return s + (rng_.chance(0.5) ? "(br_if " + l.name + " " + c + ")"
                                 : "(if " + c + " (then (br " + l.name + ")))");
  std::string v = expr(*l.result, 2);
  if (rng_.chance(0.5))
    return s + "(drop (br_if " + l.name + " " + v + " " + c + "))";
  return s + "(if " + c + " (then (br " + l.name + " " + v + ")))";
}

std::string FuncGen::returnOrTrapStmt(unsigned ind) {
  count(3);
  std::string s = ind ? pad(ind) : "";
  if (rng_.chance(0.5)) {
    const std::string value = expr(sig_.result, 2);  // (drawn first, as in gen_expr's unary)
    const std::string cond = expr(Ty::I32, 2);
    return s + "(if " + cond + " (then (return " + value + ")))";
  }
  // unreachable behind an (almost) never-true test
  return s + "(if (i32.eq " + expr(Ty::I32, 2) + " (i32.const 1592594899)) (then (unreachable)))";
}

std::string FuncGen::callStmt(unsigned ind) {
  const Callee &c = rng_.pick(callees_);
  count(2);
  std::string s = (ind ? pad(ind) : "");
  std::optional<unsigned> dst;
  if (rng_.chance(0.6))
    dst = pickLocal(c.sig.result, true);
  std::string call = callText(c, 2);
  if (dst)
    return s + "(local.set " + locals_[*dst].name + " " + call + ")";
  return s + "(drop " + call + ")";
}

std::string FuncGen::stmt(unsigned ind) {
  enum Kind { Set, Store, GlobalSet, If, Block, Loop, BrTable, Call, Branch, Rare, Nop, Drop };
  bool compound = ctrlNest_ < 3;
  std::vector<double> w = {
      30,                                                  // Set
      opt_.memShare * 60,                                  // Store
      3,                                                   // GlobalSet
      compound ? 7.0 : 0.0,                                // If
      compound ? 4.0 : 0.0,                                // Block
      compound && loopNest_ < 2 ? opt_.loopShare * 60 : 0.0,  // Loop
      compound ? 2.5 : 0.0,                                // BrTable
      callees_.empty() ? 0.0 : opt_.callShare * 40,        // Call
      labels_.empty() ? 0.0 : 4.0,                         // Branch
      0.7,                                                 // Rare: return / unreachable
      0.5,                                                 // Nop
      1.0,                                                 // Drop
  };
  switch (pickWeighted(rng_, w)) {
  case Set: return setStmt(ind);
  case Store: return storeStmt(ind);
  case GlobalSet: {
    Ty t = pickTy();
    count();
    static const char *const kGlobals[] = {"$g32 ", "$g64 ", "$gf32 ", "$gf64 "};
    std::string v = expr(t, 2);
    if (isFloat(t))
      v = canon(v, t);
    return (ind ? pad(ind) : "") + "(global.set " + kGlobals[static_cast<unsigned>(t)] + v + ")";
  }
  case If: return ifStmt(ind);
  case Block: return blockStmt(ind);
  case Loop: return loopStmt(ind);
  case BrTable: return brTableStmt(ind);
  case Call: return callStmt(ind);
  case Branch: return branchStmt(ind);
  case Rare: return returnOrTrapStmt(ind);
  case Nop: count(); return (ind ? pad(ind) : "") + "(nop)";
  case Drop: count(); return (ind ? pad(ind) : "") + "(drop " + expr(pickTy(), 2) + ")";
  }
  return setStmt(ind);
}

std::string FuncGen::pressureValue(Ty t) {
  // A distinct computed value: a non-constant leaf combined with a constant.
  static const std::array<const char *, 6> ops = {"add", "xor", "mul", "sub", "rotl", "or"};
  static const std::array<const char *, 6> fops = {"add", "sub", "mul", "min", "max", "add"};
  count();
  std::string a = leaf(t);
  if (auto l = pickLocal(t, false))
    a = "(local.get " + locals_[*l].name + ")";
  // The constant is drawn before the operator: the order GCC evaluated the
  // one expression this was before floats, so integer modules stay the same.
  const std::string c = constant(t);
  const char *op = isFloat(t) ? fops[rng_.below(fops.size())] : ops[rng_.below(ops.size())];
  return "(" + tn(t) + "." + op + " " + a + " " + c + ")";
}

std::string FuncGen::combineTree(const std::vector<unsigned> &vals, size_t lo, size_t hi, Ty t) {
  static const std::array<const char *, 5> ops = {"add", "xor", "sub", "mul", "or"};
  static const std::array<const char *, 5> fops = {"add", "max", "sub", "mul", "min"};
  if (hi - lo == 1) {
    count();
    const Local l = locals_[vals[lo]];
    return convert("(local.get " + l.name + ")", l.ty, t);
  }
  size_t mid = lo + (hi - lo) / 2;
  count();
  std::string a = combineTree(vals, lo, mid, t);
  std::string b = combineTree(vals, mid, hi, t);
  const char *op = isFloat(t) ? fops[rng_.below(fops.size())] : ops[rng_.below(ops.size())];
  return "(" + tn(t) + "." + op + " " + a + " " + b + ")";
}

std::string FuncGen::pressureGroup(unsigned n, unsigned ind) {
  Ty at = locals_[*acc_].ty;
  const std::string acc = locals_[*acc_].name;  // a copy: newLocal grows locals_
  std::string s = pad(ind) + ";; pressure group: " + std::to_string(n) + " values live at once";
  std::string sum;
  if (rng_.chance(0.5)) {
    // n locals defined one after the other, then folded by a balanced tree
    std::vector<unsigned> vals;
    for (unsigned k = 0; k < n; ++k) {
      Ty t = pickTy();
      std::string e = pressureValue(t);
      vals.push_back(newLocal(t, "$v", true));
      count();
      s += pad(ind) + "(local.set " + locals_[vals.back()].name + " " + e + ")";
    }
    sum = combineTree(vals, 0, vals.size(), at);
  } else {
    // n values pushed on the operand stack by a right-nested chain
    static const std::array<const char *, 4> ops = {"add", "xor", "sub", "mul"};
    static const std::array<const char *, 4> fops = {"add", "max", "sub", "mul"};
    sum = convert(pressureValue(at), at, at);
    for (unsigned k = 1; k < n; ++k) {
      Ty t = pickTy();
      count(2);
      const std::string v = convert(pressureValue(t), t, at);  // drawn before the operator, as before floats
      const char *op = isFloat(at) ? fops[rng_.below(fops.size())] : ops[rng_.below(ops.size())];
      sum = "(" + tn(at) + "." + op + " " + v +
            pad(ind + 2) + sum + ")";
    }
  }
  count(2);
  return s + pad(ind) + "(local.set " + acc + " (" + tn(at) + ".add (local.get " + acc + ") " + sum + "))";
}

std::string FuncGen::generate(const std::string &name, const std::string &exportName) {
  std::string body;
  // Scratch locals, initialised from constants so that fresh locals are rarely zero.
  unsigned n32 = 2 + rng_.below(3), n64 = i64_ ? 1 + rng_.below(3) : 0;
  for (unsigned i = 0; i < n32 + n64; ++i) {
    unsigned l = newLocal(i < n32 ? Ty::I32 : Ty::I64, "$l", true);
    body += pad(4) + "(local.set " + locals_[l].name + " " + constant(locals_[l].ty) + ")";
  }
  if (floats_) {  // float scratch locals, and the two canon() uses
    unsigned nf32 = 1 + rng_.below(3), nf64 = 1 + rng_.below(2);
    for (unsigned i = 0; i < nf32 + nf64; ++i) {
      unsigned l = newLocal(i < nf32 ? Ty::F32 : Ty::F64, "$f", true);
      body += pad(4) + "(local.set " + locals_[l].name + " " + constant(locals_[l].ty) + ")";
    }
    locals_.push_back({"$nan32", Ty::F32, false});
    locals_.push_back({"$nan64", Ty::F64, false});
  }
  acc_ = newLocal(sig_.result, "$acc", false);
  body += pad(4) + "(local.set " + locals_[*acc_].name + " " + constant(sig_.result) + ")";
  emitted_ = 0;  // the initialisation does not count against the budget
  bool pressured = pressure_ < 2;
  unsigned pressureAt = budget_ * (20 + rng_.below(50)) / 100;
  if (states_) {  // the pressure group stays live across the machine
    if (!pressured) body += pressureGroup(pressure_, 4);
    pressured = true;
    body += stateMachine(states_, 4);
    emitted_ = budget_;
  }
  while (haveBudget()) {
    if (!pressured && emitted_ >= pressureAt) {
      // The group counts against the budget, but leaves at least half of it
      // to the random statements.
      unsigned before = emitted_;
      body += pressureGroup(pressure_, 4);
      emitted_ = std::min(emitted_, before + budget_ / 2);
      pressured = true;
      continue;
    }
    body += stmt(4);
  }
  if (!pressured)
    body += pressureGroup(pressure_, 4);
  Ty rt = sig_.result;
  body += pad(4) + "(" + tn(rt) + (isFloat(rt) ? ".add" : ".xor") + " (local.get " + locals_[*acc_].name + ") " +
          expr(rt, 3) + ")";

  std::string s = "  (func " + name + " (export \"" + exportName + "\")";
  for (size_t i = 0; i < sig_.params.size(); ++i)
    s += " (param " + locals_[i].name + " " + tn(locals_[i].ty) + ")";
  s += " (result " + tn(rt) + ")";
  for (size_t i = sig_.params.size(); i < locals_.size(); ++i)
    s += pad(4) + "(local " + locals_[i].name + " " + tn(locals_[i].ty) + ")";
  return s + body + ")\n";
}

}  // namespace vcr::gen::detail
