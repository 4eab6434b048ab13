#pragma once
// Internal pieces of the wasm generator: the PRNG, value types and the
// per-function generator (expressions in gen_expr.cpp, statements in
// gen_stmt.cpp).

#include "corpus/gen/wasmgen.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace vcr::gen::detail {

/// splitmix64: small, fast and identical on every platform (unlike the
/// standard distributions).
class Rng {
public:
  /// Seeds the generator; any seed is fine (0 included).
  explicit Rng(uint64_t seed) : state_(seed) {}
  /// Next 64 random bits.
  uint64_t next();
  /// Uniform in [0, n); n must be > 0.
  unsigned below(unsigned n) { return static_cast<unsigned>(next() % n); }
  /// True with probability p (p <= 0: never, p >= 1: always).
  bool chance(double p);
  /// Picks one element of a non-empty list.
  template <class T> const T &pick(const std::vector<T> &v) { return v[below(static_cast<unsigned>(v.size()))]; }

private:
  uint64_t state_;
};

/// The value types of the supported subset.
enum class Ty { I32, I64, F32, F64 };

/// "i32", "i64", "f32" or "f64".
const char *tyName(Ty t);
/// True for F32 and F64.
inline bool isFloat(Ty t) { return t == Ty::F32 || t == Ty::F64; }

/// A function signature.
struct Sig {
  std::vector<Ty> params;
  Ty result = Ty::I32;
};

/// A function the generated code may call.
struct Callee {
  std::string name;  ///< "$h0", "$ext"
  Sig sig;
  int slot = -1;     ///< its slot in the table (helpers), -1: none
};

/// One local (params included) of the function being generated.
struct Local {
  std::string name;
  Ty ty = Ty::I32;
  bool writable = true;  ///< false for loop counters and the accumulator
};

/// One enclosing label.
struct Label {
  std::string name;
  bool isLoop = false;           ///< never a branch target (would skip the counter)
  std::optional<Ty> result;      ///< block result type, if any
};

/// Generates one function body. Expressions are emitted in folded form.
class FuncGen {
public:
  /// `budget` approximates the number of operators; `pressure` > 1 adds a
  /// pressure group (main function only).
  FuncGen(Rng &rng, const GenOptions &opt, Sig sig, std::vector<Callee> callees,
          unsigned budget, unsigned pressure);
  /// The complete `(func ...)` text, named `name`, exported as `exportName`.
  std::string generate(const std::string &name, const std::string &exportName);

  // expressions (gen_expr.cpp)
  /// An expression leaving one value of type t; depth bounds the nesting.
  std::string expr(Ty t, unsigned depth);
  /// A leaf: local.get, global.get or a constant of type t.
  std::string leaf(Ty t);
  /// A constant of type t with a bias to interesting values.
  std::string constant(Ty t);
  /// A masked (rarely unmasked) memory address expression.
  std::string address(unsigned depth);
  /// Converts an expression of type from to type to (wrap/extend; with
  /// floats: convert, trunc_sat, promote/demote, now and then reinterpret).
  std::string convert(std::string e, Ty from, Ty to);
  /// e (of float type t) with a NaN replaced by 0: for places where a NaN's
  /// bits would be observed (stores, globals, reinterpret, copysign's sign).
  std::string canon(std::string e, Ty t);

  // statements (gen_stmt.cpp)
  /// One statement (no value left on the stack), indented by ind.
  std::string stmt(unsigned ind);
  /// The pressure group: `n` values built then combined into the accumulator.
  std::string pressureGroup(unsigned n, unsigned ind);

  // state machines (gen_fsm.cpp)
  /// The body is a state machine of `n` states instead of random statements.
  void stateMachineMode(unsigned n) { states_ = n; }
  /// A dispatch loop over `n` states that load, compare and branch.
  std::string stateMachine(unsigned n, unsigned ind);

private:
  // One helper per construct; each returns folded WAT text and counts the
  // operators it emits against the budget.
  /// Binary op (div/rem with a divisor forced odd except rarely).
  std::string binary(Ty t, unsigned depth);
  /// Unary op incl. sign-extension.
  std::string unary(Ty t, unsigned depth);
  /// Compare or eqz of either type, i32 result.
  std::string compare(unsigned depth);
  /// Load of a random width/sign with an offset.
  std::string load(Ty t, unsigned depth);
  /// Call of a helper or the import, converted to t.
  std::string call(Ty t, unsigned depth);
  /// Block with a result left by br_if with a value or by falling out.
  std::string blockExpr(Ty t, unsigned depth);
  /// if/else with a result.
  std::string ifExpr(Ty t, unsigned depth);
  /// br_table carrying a value to blocks with results.
  std::string brTableExpr(Ty t, unsigned depth);
  /// Two to five straight-line statements (sets and stores) of a state.
  std::string caseWork(unsigned ind);
  /// `count` statements.
  std::string stmtList(unsigned count, unsigned ind);
  /// Counted loop (sometimes with a result).
  std::string loopStmt(unsigned ind);
  /// if with an optional else.
  std::string ifStmt(unsigned ind);
  /// Block left by br_if.
  std::string blockStmt(unsigned ind);
  /// br_table dispatch over 2-4 case blocks.
  std::string brTableStmt(unsigned ind);
  /// Store of a random width with an offset.
  std::string storeStmt(unsigned ind);
  /// local.set of a writable local.
  std::string setStmt(unsigned ind);
  /// br_if / br to an enclosing non-loop label.
  std::string branchStmt(unsigned ind);
  /// Conditional return or an (almost) never reached unreachable.
  std::string returnOrTrapStmt(unsigned ind);
  /// Call whose result is stored or dropped.
  std::string callStmt(unsigned ind);
  /// A distinct computed value for the pressure group.
  std::string pressureValue(Ty t);
  /// Balanced fold of locals vals[lo, hi) into one value of type t.
  std::string combineTree(const std::vector<unsigned> &vals, size_t lo, size_t hi, Ty t);

  /// f32/f64 with probability floatShare, else i64 with probability
  /// i64Share (never when the share is 0; no random draw for floats then).
  Ty pickTy() {
    if (floats_ && rng_.chance(opt_.floatShare)) return rng_.chance(0.5) ? Ty::F32 : Ty::F64;
    return i64_ && rng_.chance(opt_.i64Share) ? Ty::I64 : Ty::I32;
  }
  /// The call text of `c` with its arguments: `call`, or `call_indirect`
  /// through the table (indirectShare).
  std::string callText(const Callee &c, unsigned argDepth);
  /// Binary and unary float operators.
  std::string floatBinary(Ty t, unsigned depth);
  std::string floatUnary(Ty t, unsigned depth);
  /// A fresh label name.
  std::string newLabel();
  /// Declares a local named prefix + count; returns its index.
  unsigned newLocal(Ty t, const std::string &prefix, bool writable);
  /// A random local of type t (writable ones only if forWrite).
  std::optional<unsigned> pickLocal(Ty t, bool forWrite);
  /// True while the operator budget is not used up.
  bool haveBudget() const { return emitted_ < budget_; }
  /// Counts emitted operators.
  void count(unsigned n = 1) { emitted_ += n; }

  Rng &rng_;
  const GenOptions &opt_;
  Sig sig_;
  std::vector<Callee> callees_;
  unsigned budget_;
  unsigned pressure_;
  bool i64_;
  bool floats_;  ///< floatShare > 0
  unsigned emitted_ = 0;
  unsigned labelCount_ = 0;
  unsigned loopNest_ = 0;
  unsigned ctrlNest_ = 0;  ///< enclosing compound constructs (bounds recursion)
  std::vector<Local> locals_;
  std::vector<Label> labels_;
  std::optional<unsigned> acc_;
  unsigned states_ = 0;  ///< state-machine mode: this many states
};

}  // namespace vcr::gen::detail
