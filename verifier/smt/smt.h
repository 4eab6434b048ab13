#pragma once
/// The checker's SMT layer (Alive2 style): the only part of verifier/ that
/// sees Z3. Terms are small handles into a Context: the checker's own
/// hash-consed term DAG, normalised as it is built (constant folding,
/// neutral elements, operand order, extract/concat and select/store over
/// base+constant addresses), so identical expressions have identical
/// handles. A Solver decides one goal at a time: a goal that normalised to
/// a literal is decided at once; otherwise concrete random testing looks for
/// a counterexample; only then is the goal lowered to Z3 (created lazily).
/// A goal exports as a self-contained SMT-LIB2 file.
///
/// Sorts used: bit-vectors of 1..64 bits, Booleans, and two array sorts:
/// linear memory Array(BV32, BV8) and the globals table Array(BV32, BV32).

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace vcr::verifier::smt {

/// A handle to an expression of one Context. id 0 is "no term".
struct Term {
  uint32_t id = 0;
  /// True when the handle refers to an expression.
  [[nodiscard]] bool valid() const { return id != 0; }
  friend bool operator==(const Term &, const Term &) = default;
};

/// Owner of every term; builds (and normalises) terms.
/// Bit-vector operators have plain SMT-LIB semantics (no total-division
/// adjustments: those belong to the opcode semantics built on top).
/// Widths are 1..64 bits; an ill-sorted operation throws std::logic_error.
class Context {
public:
  Context();
  /// A context that normalises terms (the default) or, with false, builds
  /// them exactly as asked (tests use it as the unsimplified reference).
  explicit Context(bool normalise);
  ~Context();
  Context(const Context &) = delete;
  Context &operator=(const Context &) = delete;
  /// Forget every term (handles made before become invalid), keeping the
  /// memory: a fresh context at the price of none. The checker resets one
  /// context per block, so the term table stays as small as a block.
  void reset();

  // constants and variables
  /// Bit-vector constant of `bits` bits (value truncated).
  Term bv(uint64_t value, unsigned bits);
  /// Fresh or existing bit-vector variable named `name`.
  Term var(const std::string &name, unsigned bits);
  /// Boolean constant.
  Term boolean(bool b);
  /// The bit-vector variable with numeric key `key` (the same key gives the
  /// same term until reset()). Keyed variables carry no name unless given
  /// one with name(); building them costs no string, so the checker makes
  /// its block inputs this way and names them only when it reports.
  Term input(uint32_t key, unsigned bits);
  /// The keyed linear-memory array variable `key`.
  Term memoryInput(uint32_t key);
  /// The keyed globals-table array variable `key`.
  Term globalsInput(uint32_t key);
  /// Give keyed variable `t` a display name (reports, SMT-LIB files).
  /// Distinct variables stay distinct whatever their names: a name that is
  /// not unique in a query is printed with the variable's key added.
  void name(Term t, std::string displayName);
  /// Linear-memory array variable: Array(BV32, BV8).
  Term memoryVar(const std::string &name);
  /// Globals-table array variable: Array(BV32, BV32).
  Term globalsVar(const std::string &name);

  // bit-vector arithmetic (SMT-LIB semantics)
  /// Two-operand bit-vector operations.
  enum class BinOp : uint8_t {
    Add, Sub, Mul, And, Or, Xor, Shl, LShr, AShr, UDiv, SDiv, URem, SRem
  };
  /// a op b, both of the same width.
  Term bin(BinOp op, Term a, Term b);
  /// Bitwise not.
  Term bnot(Term a);
  /// Comparison predicates (Boolean result).
  enum class Pred : uint8_t { Eq, Ne, ULt, ULe, UGt, UGe, SLt, SLe, SGt, SGe };
  /// a pred b (Boolean).
  Term cmp(Pred p, Term a, Term b);
  /// Bits hi..lo of a.
  Term extract(Term a, unsigned hi, unsigned lo);
  /// hi ++ lo.
  Term concat(Term hi, Term lo);
  /// Zero-extend by `extra` bits.
  Term zext(Term a, unsigned extra);
  /// Sign-extend by `extra` bits.
  Term sext(Term a, unsigned extra);
  /// c ? a : b (c Boolean).
  Term ite(Term c, Term a, Term b);

  // Boolean connectives
  /// a && b.
  Term land(Term a, Term b);
  /// a || b.
  Term lor(Term a, Term b);
  /// !a.
  Term lnot(Term a);
  /// a <=> b on Booleans, a == b on anything else.
  Term eq(Term a, Term b);

  // arrays
  /// arr[idx].
  Term select(Term arr, Term idx);
  /// arr with arr[idx] = val.
  Term store(Term arr, Term idx, Term val);

  // queries
  /// Width of a bit-vector term (0 for other sorts).
  [[nodiscard]] unsigned width(Term a) const;
  /// a itself: terms are normalised when built (kept for callers).
  Term simplify(Term a);
  /// The value of a term that is a Boolean literal, if it is one.
  [[nodiscard]] std::optional<bool> boolLiteral(Term a) const;
  /// The value of a term that is a bit-vector literal, if it is one.
  [[nodiscard]] std::optional<uint64_t> bvLiteral(Term a) const;
  /// Whether two handles denote the same (hash-consed) expression.
  [[nodiscard]] bool same(Term a, Term b) const;
  /// SMT-LIB text of a term.
  [[nodiscard]] std::string str(Term a) const;
  /// Names of the uninterpreted constants (variables) a term mentions.
  [[nodiscard]] std::vector<std::string> variablesOf(Term a) const;
  /// The index terms of every `store` inside array term `a` (the addresses
  /// where two memories built from one start can differ), in DAG order.
  [[nodiscard]] std::vector<Term> storeIndices(Term a) const;
  /// Number of terms built so far.
  [[nodiscard]] size_t size() const;

  /// Test oracle: the value Z3 gives `t` (bit-vector, or Boolean as 0/1)
  /// once each listed variable is replaced by its value; nullopt if Z3 does
  /// not reduce it to a literal.
  [[nodiscard]] std::optional<uint64_t> z3Value(
      Term t, const std::vector<std::pair<Term, uint64_t>> &assignment);

  struct Impl;
  /// Internal: the term table (only smt/*.cpp use it).
  Impl &impl() { return *impl_; }
  /// Internal: the term table (only smt/*.cpp use it).
  [[nodiscard]] const Impl &impl() const { return *impl_; }

private:
  std::unique_ptr<Impl> impl_;
};

/// A satisfying assignment of a refuted goal's negation.
class Model {
public:
  Model();
  ~Model();
  Model(Model &&) noexcept;
  Model &operator=(Model &&) noexcept;
  /// Value of a bit-vector (or Boolean, as 0/1) term of the model's
  /// Context under the model (variables it does not mention are 0);
  /// nullopt for arrays or when there is no model.
  [[nodiscard]] std::optional<uint64_t> eval(Term t) const;
  /// Whether the model exists.
  [[nodiscard]] bool valid() const;

  /// A model of `ctx` giving the listed variables their values (others 0),
  /// array variables pseudo-random contents fixed by `seed`.
  static Model of(const Context &ctx, const std::vector<std::pair<Term, uint64_t>> &values,
                  uint64_t seed = 0);

  struct Impl;
  /// Internal: constructs from the smt layer.
  explicit Model(std::unique_ptr<Impl> impl);

private:
  std::unique_ptr<Impl> impl_;
};

/// Outcome of proving one goal.
enum class Verdict : uint8_t { Proved, Refuted, Unknown };

/// What Solver::check found.
struct CheckResult {
  Verdict verdict = Verdict::Unknown;
  bool syntactic = false;  ///< decided by normalisation alone
  std::string method;      ///< "syntactic", "testing" (random counterexample) or "z3"
  uint64_t timeUs = 0;     ///< wall time of simplification and solving
  std::string reason;      ///< for Unknown: why (timeout, incomplete, ...)
  Model model;             ///< for Refuted: a counterexample
};

/// Proves goals of one Context: a goal is proved when its negation is
/// unsatisfiable.
class Solver {
public:
  /// A solver over the terms of `ctx`.
  explicit Solver(Context &ctx);
  /// Prove the Boolean `goal`; `name` labels it for diagnostics. A timeout
  /// or incomplete answer gives Unknown, never Proved. A counterexample
  /// found by testing is exact: the goal evaluates to false under it.
  CheckResult check(const std::string &name, Term goal, unsigned timeoutMs);
  /// Self-contained SMT-LIB2 text asking for a model of (not goal):
  /// set-logic, declarations, one assertion, check-sat. `unsat` means the
  /// goal holds.
  [[nodiscard]] std::string toSmtLib(const std::string &name, Term goal) const;

private:
  Context &ctx_;
};

}  // namespace vcr::verifier::smt
