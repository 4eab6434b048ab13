// Expression half of the wasm generator: typed folded expressions of the
// integer subset (arithmetic, compares, conversions, select, loads, calls,
// blocks with results, br_if/br_table carrying values).

#include "corpus/gen/gen_internal.h"

#include <array>
#include <cinttypes>
#include <cstdio>
#include <limits>

namespace vcr::gen::detail {

uint64_t Rng::next() {
  uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

bool Rng::chance(double p) {
  if (p <= 0)
    return false;
  if (p >= 1)
    return true;
  return static_cast<double>(next() >> 11) * 0x1.0p-53 < p;
}

const char *tyName(Ty t) {
  switch (t) {
  case Ty::I32: return "i32";
  case Ty::I64: return "i64";
  case Ty::F32: return "f32";
  case Ty::F64: return "f64";
  }
  return "i32";
}

namespace {

std::string tn(Ty t) { return tyName(t); }

// Weighted choice among kinds; weights of 0 are never chosen.
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

std::string FuncGen::constant(Ty t) {
  count();
  uint64_t r = rng_.next();
  if (isFloat(t)) {
    // small integers and fractions, signed zeros, huge and tiny (subnormal)
    // magnitudes, values near the truncation bounds, infinities, rarely NaN
    static const double kValues[] = {0.0, -0.0, 1.0, -1.0, 0.5, 2.5, -3.75, 0.1, 1e30, -1e-30, 3e-39,
                                     1e-310, 2147483520.0, -2147483648.0, 4294967040.0, 9.2e18,
                                     std::numeric_limits<double>::infinity(),
                                     -std::numeric_limits<double>::infinity()};
    double v;
    switch (rng_.below(4)) {
    case 0: v = kValues[r % (sizeof kValues / sizeof kValues[0])]; break;
    case 1: v = static_cast<double>(static_cast<int64_t>(r % 2001) - 1000) / 8; break;
    case 2: v = static_cast<double>(static_cast<int64_t>(r % 200001) - 100000) * 0.001; break;
    default:
      if (r % 23 == 0) return std::string("(") + tyName(t) + ".const nan)";
      v = static_cast<double>(static_cast<int64_t>(r >> 11) - (int64_t(1) << 52)) / 1048576.0;
    }
    char buf[64];
    if (v != v || v - v != v - v)  // infinities
      std::snprintf(buf, sizeof buf, "(%s.const %sinf)", tyName(t), v < 0 ? "-" : "");
    else if (t == Ty::F32)
      std::snprintf(buf, sizeof buf, "(f32.const %a)", static_cast<double>(static_cast<float>(v)));
    else
      std::snprintf(buf, sizeof buf, "(f64.const %a)", v);
    return buf;
  }
  int64_t v;
  switch (rng_.below(6)) {
  case 0: v = static_cast<int64_t>(r % 17); break;                     // small
  case 1: v = -static_cast<int64_t>(r % 9) - 1; break;                 // small negative
  case 2: v = static_cast<int64_t>(1ull << (r % (t == Ty::I32 ? 31 : 63))); break;
  case 3: v = t == Ty::I32 ? INT32_MIN : INT64_MIN; break;
  default: v = static_cast<int64_t>(r); break;
  }
  char buf[48];
  if (t == Ty::I32)
    std::snprintf(buf, sizeof buf, "(i32.const %" PRId32 ")", static_cast<int32_t>(static_cast<uint32_t>(v)));
  else
    std::snprintf(buf, sizeof buf, "(i64.const %" PRId64 ")", v);
  return buf;
}

std::string FuncGen::leaf(Ty t) {
  unsigned k = rng_.below(10);
  if (k < 6) {
    if (auto l = pickLocal(t, false)) {
      count();
      return "(local.get " + locals_[*l].name + ")";
    }
  } else if (k < 7) {
    count();
    static const char *const kGlobals[] = {"(global.get $g32)", "(global.get $g64)", "(global.get $gf32)",
                                           "(global.get $gf64)"};
    return kGlobals[static_cast<unsigned>(t)];
  }
  return constant(t);
}

std::string FuncGen::convert(std::string e, Ty from, Ty to) {
  if (from == to)
    return e;
  count();
  const std::string f = tn(from), t = tn(to);
  const bool sameWidth = (from == Ty::I32 || from == Ty::F32) == (to == Ty::I32 || to == Ty::F32);
  if (isFloat(from) && isFloat(to))
    return to == Ty::F64 ? "(f64.promote_f32 " + e + ")" : "(f32.demote_f64 " + e + ")";
  if (isFloat(to)) {  // from an integer
    if (sameWidth && rng_.below(8) == 0)
      return "(" + t + ".reinterpret_" + f + " " + e + ")";
    return "(" + t + ".convert_" + f + (rng_.chance(0.5) ? "_s " : "_u ") + e + ")";
  }
  if (isFloat(from)) {  // to an integer: saturating, now and then the bits or a trapping truncation
    if (sameWidth && rng_.below(8) == 0)
      return "(" + t + ".reinterpret_" + f + " " + canon(e, from) + ")";
    const char *sign = rng_.chance(0.5) ? "_s " : "_u ";
    if (rng_.below(40) == 0)
      return "(" + t + ".trunc_" + f + sign + e + ")";
    return "(" + t + ".trunc_sat_" + f + sign + e + ")";
  }
  if (to == Ty::I32)
    return "(i32.wrap_i64 " + e + ")";
  return std::string(rng_.chance(0.5) ? "(i64.extend_i32_s " : "(i64.extend_i32_u ") + e + ")";
}

std::string FuncGen::canon(std::string e, Ty t) {
  count(3);
  const std::string n = t == Ty::F32 ? "$nan32" : "$nan64";
  return "(select (local.tee " + n + " " + e + ") (" + tn(t) + ".const 0) (" + tn(t) + ".eq (local.get " + n +
         ") (local.get " + n + ")))";
}

std::string FuncGen::floatBinary(Ty t, unsigned depth) {
  static const std::array<const char *, 9> ops = {"add", "sub", "mul", "div", "min", "max", "copysign", "add", "mul"};
  count();
  const char *op = ops[rng_.below(ops.size())];
  std::string a = expr(t, depth - 1);
  std::string b = expr(t, depth - 1);
  if (std::string(op) == "copysign")
    b = canon(b, t);  // the sign of a NaN is open in wasm
  return "(" + tn(t) + "." + op + " " + a + " " + b + ")";
}

std::string FuncGen::floatUnary(Ty t, unsigned depth) {
  static const std::array<const char *, 7> ops = {"abs", "neg", "sqrt", "ceil", "floor", "trunc", "nearest"};
  count();
  // (Each draw its own statement: the operands of one + are evaluated in an
  // unspecified order, and a seed must give one module in every build.
  // Operand first, as the optimised build drew them.)
  const std::string a = expr(t, depth - 1);
  const char *op = ops[rng_.below(ops.size())];
  return "(" + tn(t) + "." + op + " " + a + ")";
}

std::string FuncGen::callText(const Callee &c, unsigned argDepth) {
  std::string args;
  for (Ty p : c.sig.params)
    args += " " + expr(p, argDepth);
  if (c.slot >= 0 && opt_.indirectShare > 0 && rng_.chance(opt_.indirectShare)) {
    std::string type;
    if (!c.sig.params.empty()) {
      type += " (param";
      for (Ty p : c.sig.params)
        type += " " + tn(p);
      type += ")";
    }
    type += " (result " + tn(c.sig.result) + ")";
    std::string idx = "(i32.const " + std::to_string(c.slot) + ")";
    if (rng_.below(8) == 0) {  // a computed slot: may be null or of another signature
      count(2);
      idx = "(i32.and " + expr(Ty::I32, 1) + " (i32.const 7))";
    }
    return "(call_indirect" + type + args + " " + idx + ")";
  }
  return "(call " + c.name + args + ")";
}

std::string FuncGen::binary(Ty t, unsigned depth) {
  if (isFloat(t))
    return floatBinary(t, depth);
  static const std::array<const char *, 14> ops = {"add", "sub", "mul", "and", "or", "xor", "shl",
                                                   "shr_s", "shr_u", "rotl", "rotr", "add", "xor", "sub"};
  static const std::array<const char *, 4> divs = {"div_s", "div_u", "rem_s", "rem_u"};
  count();
  std::string a = expr(t, depth - 1);
  std::string b = expr(t, depth - 1);
  if (rng_.below(10) == 0) {
    // Division: the divisor is forced odd (never zero) unless rarely left raw.
    const char *op = divs[rng_.below(4)];
    if (rng_.below(16) != 0) {
      count(2);
      b = "(" + tn(t) + ".or " + b + " (" + tn(t) + ".const 1))";
    }
    return "(" + tn(t) + "." + op + " " + a + " " + b + ")";
  }
  return "(" + tn(t) + "." + ops[rng_.below(ops.size())] + " " + a + " " + b + ")";
}

std::string FuncGen::unary(Ty t, unsigned depth) {
  static const std::array<const char *, 5> ops32 = {"clz", "ctz", "popcnt", "extend8_s", "extend16_s"};
  static const std::array<const char *, 6> ops64 = {"clz", "ctz", "popcnt", "extend8_s", "extend16_s", "extend32_s"};
  if (isFloat(t))
    return floatUnary(t, depth);
  count();
  const char *op = t == Ty::I32 ? ops32[rng_.below(ops32.size())] : ops64[rng_.below(ops64.size())];
  return "(" + tn(t) + "." + op + " " + expr(t, depth - 1) + ")";
}

std::string FuncGen::compare(unsigned depth) {
  static const std::array<const char *, 11> ops = {"eq", "ne", "lt_s", "lt_u", "gt_s", "gt_u",
                                                   "le_s", "le_u", "ge_s", "ge_u", "eqz"};
  Ty t = pickTy();
  count();
  if (isFloat(t)) {
    static const std::array<const char *, 6> fops = {"eq", "ne", "lt", "gt", "le", "ge"};
    const char *fop = fops[rng_.below(fops.size())];
    std::string a = expr(t, depth - 1);
    return "(" + tn(t) + "." + fop + " " + a + " " + expr(t, depth - 1) + ")";
  }
  const char *op = ops[rng_.below(ops.size())];
  if (std::string(op) == "eqz")
    return "(" + tn(t) + ".eqz " + expr(t, depth - 1) + ")";
  std::string a = expr(t, depth - 1);
  return "(" + tn(t) + "." + op + " " + a + " " + expr(t, depth - 1) + ")";
}

std::string FuncGen::address(unsigned depth) {
  std::string a = expr(Ty::I32, depth);
  if (rng_.below(120) == 0)
    return a;  // rarely unmasked: may trap out of bounds
  count(2);
  return "(i32.and " + a + " (i32.const 32760))";  // 0x7ff8: 8-aligned, first 32 KiB
}

std::string FuncGen::load(Ty t, unsigned depth) {
  static const std::array<const char *, 5> l32 = {"load8_s", "load8_u", "load16_s", "load16_u", "load"};
  static const std::array<const char *, 7> l64 = {"load8_s", "load8_u", "load16_s", "load16_u",
                                                  "load32_s", "load32_u", "load"};
  static const std::array<unsigned, 8> offsets = {0, 0, 1, 2, 4, 8, 16, 1000};
  count();
  const char *op = isFloat(t) ? "load" : t == Ty::I32 ? l32[rng_.below(l32.size())] : l64[rng_.below(l64.size())];
  unsigned off = offsets[rng_.below(offsets.size())];
  std::string o = off ? " offset=" + std::to_string(off) : "";
  return "(" + tn(t) + "." + op + o + " " + address(depth - 1) + ")";
}

std::string FuncGen::call(Ty t, unsigned depth) {
  const Callee &c = rng_.pick(callees_);
  count();
  return convert(callText(c, depth > 2 ? 2 : depth - 1), c.sig.result, t);
}

std::string FuncGen::blockExpr(Ty t, unsigned depth) {
  // (block $L (result t) stmts (drop (br_if $L v c)) stmts v')
  std::string l = newLabel();
  count(3);
  ++ctrlNest_;
  labels_.push_back({l, false, t});
  std::string s = "(block " + l + " (result " + tn(t) + ")";
  s += stmtList(rng_.below(2), 0);
  std::string v = expr(t, depth - 1);
  s += " (drop (br_if " + l + " " + v + " " + expr(Ty::I32, depth - 1) + "))";
  s += stmtList(rng_.below(2), 0);
  s += " " + expr(t, depth - 1) + ")";
  labels_.pop_back();
  --ctrlNest_;
  return s;
}

std::string FuncGen::ifExpr(Ty t, unsigned depth) {
  count();
  ++ctrlNest_;
  std::string c = expr(Ty::I32, depth - 1);
  std::string s = "(if (result " + tn(t) + ") " + c + " (then";
  s += stmtList(rng_.below(2), 0);
  s += " " + expr(t, depth - 1) + ") (else";
  s += stmtList(rng_.below(2), 0);
  s += " " + expr(t, depth - 1) + "))";
  --ctrlNest_;
  return s;
}

std::string FuncGen::brTableExpr(Ty t, unsigned depth) {
  // (block $x (result t) (t.op (block $y (result t) (br_table $y $x .. v idx)) w))
  std::string x = newLabel(), y = newLabel();
  count(4);
  ++ctrlNest_;
  labels_.push_back({x, false, t});
  labels_.push_back({y, false, t});
  std::string targets;
  unsigned n = 1 + rng_.below(4);
  for (unsigned i = 0; i <= n; ++i)
    targets += (rng_.chance(0.5) ? x : y) + " ";
  std::string v = expr(t, depth - 1);
  std::string idx = expr(Ty::I32, depth - 1);
  if (rng_.below(3) != 0) {
    count(2);
    idx = "(i32.and " + idx + " (i32.const 7))";
  }
  std::string inner = "(block " + y + " (result " + tn(t) + ") (br_table " + targets + v + " " + idx + "))";
  labels_.pop_back();
  std::string w = expr(t, depth - 1);
  labels_.pop_back();
  --ctrlNest_;
  return "(block " + x + " (result " + tn(t) + ") (" + tn(t) + (isFloat(t) ? ".add " : ".xor ") + inner + " " + w +
         "))";
}

std::string FuncGen::expr(Ty t, unsigned depth) {
  if (depth == 0 || !haveBudget())
    return leaf(t);
  enum Kind { Leaf, Binary, Unary, Compare, Convert, Select, Load, Call, Tee, Block, If, BrTable, MemSize };
  bool canCall = !callees_.empty();
  bool ctrl = depth >= 2 && ctrlNest_ < 3;
  std::vector<double> w = {
      12,                                     // Leaf
      30,                                     // Binary
      5,                                      // Unary
      t == Ty::I32 ? 7.0 : 0.0,               // Compare
      i64_ || floats_ ? 4.0 : 0.0,            // Convert
      4,                                      // Select
      opt_.memShare * 60,                     // Load
      canCall ? opt_.callShare * 40 : 0.0,    // Call
      3,                                      // Tee
      ctrl ? 1.5 : 0.0,                       // Block (br_if with value)
      ctrl ? 1.5 : 0.0,                       // If with result
      ctrl ? 1.0 : 0.0,                       // BrTable with value
      t == Ty::I32 ? 0.3 : 0.0,               // MemSize
  };
  switch (pickWeighted(rng_, w)) {
  case Leaf: return leaf(t);
  case Binary: return binary(t, depth);
  case Unary: return unary(t, depth);
  case Compare: return compare(depth);
  case Convert: {
    Ty from = t == Ty::I32 ? Ty::I64 : Ty::I32;
    if (floats_) {  // any other type of the module
      std::vector<Ty> others;
      for (Ty o : {Ty::I32, Ty::I64, Ty::F32, Ty::F64})
        if (o != t && (o != Ty::I64 || i64_))
          others.push_back(o);
      from = rng_.pick(others);
    }
    return convert(expr(from, depth - 1), from, t);
  }
  case Select: {
    count();
    std::string a = expr(t, depth - 1);
    std::string b = expr(t, depth - 1);
    return "(select " + a + " " + b + " " + expr(Ty::I32, depth - 1) + ")";
  }
  case Load: return load(t, depth);
  case Call: return call(t, depth);
  case Tee:
    if (auto l = pickLocal(t, true)) {
      count();
      return "(local.tee " + locals_[*l].name + " " + expr(t, depth - 1) + ")";
    }
    return binary(t, depth);
  case Block: return blockExpr(t, depth);
  case If: return ifExpr(t, depth);
  case BrTable: return brTableExpr(t, depth);
  case MemSize: count(); return "(memory.size)";
  }
  return leaf(t);
}

}  // namespace vcr::gen::detail
