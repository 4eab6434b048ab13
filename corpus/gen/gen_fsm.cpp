// State-machine half of the wasm generator: a loop around a br_table
// dispatch over many small cases that load, compare and branch (the shape of
// a lexer or protocol decoder), for the checker's scaling benchmark.

#include "corpus/gen/gen_internal.h"

namespace vcr::gen::detail {

namespace {

std::string pad(unsigned ind) { return "\n" + std::string(ind, ' '); }
std::string get(const std::string &l) { return "(local.get " + l + ")"; }
std::string i32(unsigned v) { return "(i32.const " + std::to_string(v) + ")"; }

}  // namespace

std::string FuncGen::caseWork(unsigned ind) {
  std::string s;
  for (unsigned k = 2 + rng_.below(4); k-- > 0;)
    s += rng_.chance(0.25) ? storeStmt(ind) : setStmt(ind);
  return s;
}

std::string FuncGen::stateMachine(unsigned n, unsigned ind) {
  const std::string st = locals_[newLocal(Ty::I32, "$st", false)].name;
  const std::string fuel = locals_[newLocal(Ty::I32, "$fuel", false)].name;
  const std::string pos = locals_[newLocal(Ty::I32, "$pos", false)].name;
  const std::string x = locals_[newLocal(Ty::I32, "$x", false)].name;
  const std::string done = newLabel(), disp = newLabel();
  std::string s = pad(ind) + ";; state machine: " + std::to_string(n) + " states";
  s += pad(ind) + "(local.set " + st + " " + i32(0) + ")";
  s += pad(ind) + "(local.set " + fuel + " " + i32(50 + rng_.below(200)) + ")";
  s += pad(ind) + "(local.set " + pos + " " + i32(rng_.below(4096)) + ")";
  s += pad(ind) + "(block " + done + " (loop " + disp;
  labels_.push_back({done, false, std::nullopt});
  labels_.push_back({disp, true, std::nullopt});
  ++ctrlNest_;  // case work: no loops or deep nesting
  ++ctrlNest_;
  ++ctrlNest_;
  const unsigned in = ind + 2;
  s += pad(in) + "(br_if " + done + " (i32.eqz " + get(fuel) + "))";
  s += pad(in) + "(local.set " + fuel + " (i32.sub " + get(fuel) + " " + i32(1) + "))";
  std::vector<std::string> cases;
  for (unsigned k = 0; k < n; ++k) cases.push_back(newLabel());
  s += pad(in);
  for (unsigned k = n; k-- > 0;) s += "(block " + cases[k] + " ";
  s += pad(in) + "(br_table";
  for (const std::string &c : cases) s += " " + c;
  s += " " + done + " " + get(st) + ")";
  auto next = [&](unsigned depth) {  // now and then out of range: leave the machine
    return pad(in + depth) + "(local.set " + st + " " + i32(rng_.below(n + n / 8 + 1)) + ")";
  };
  static const char *const kLoads[] = {"load8_u", "load8_u", "load8_s", "load16_u", "load"};
  for (unsigned k = 0; k < n; ++k) {
    s += ")" + pad(in) + ";; state " + std::to_string(k);
    // (One draw per statement, right to left as the optimised build drew
    // them: see gen_expr's unary.)
    const unsigned offset = rng_.below(8);
    const char *load = kLoads[rng_.below(5)];
    s += pad(in) + "(local.set " + x + " (i32." + load + " offset=" + std::to_string(offset) + " (i32.and " + get(pos) +
         " " + i32(0xff0) + ")))";
    s += pad(in) + "(local.set " + pos + " (i32.add " + get(pos) + " " + i32(1 + rng_.below(3)) + "))";
    s += caseWork(in);
    s += pad(in) + "(if (i32.lt_u " + get(x) + " " + i32(rng_.below(256)) + ")";
    auto arm = [&](const char *kw, unsigned depth) {  // (next's draw first: see above)
      const std::string leave = next(depth);
      return kw + caseWork(in + depth) + leave;
    };
    s += pad(in + 1) + arm("(then", 2) + ")";
    if (rng_.chance(0.5)) {
      s += pad(in + 1) + "(else (if (i32.eq " + get(x) + " " + i32(rng_.below(256)) + ")";
      s += pad(in + 2) + arm("(then", 3) + ")";
      s += pad(in + 2) + arm("(else", 3) + "))))";
    } else {
      s += pad(in + 1) + arm("(else", 2) + "))";
    }
    s += pad(in) + "(br " + disp + ")";
  }
  ctrlNest_ -= 3;
  labels_.pop_back();
  labels_.pop_back();
  return s + "))";
}

}  // namespace vcr::gen::detail
