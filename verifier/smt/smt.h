#pragma once
/// The checker's SMT layer (Alive2 style): the only part of verifier/ that
/// sees Z3. Terms are small handles into a Context that owns the Z3 context
/// and every expression built in it; a Solver decides one goal at a time
/// (simplification first, the solver only if that does not decide it) and
/// exports a goal as a self-contained SMT-LIB2 file.
///
/// Sorts used: bit-vectors of 1..64 bits, Booleans, and two array sorts:
/// linear memory Array(BV32, BV8) and the globals table Array(BV32, BV32).

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace vcr::verifier::smt {

/// A handle to an expression of one Context. id 0 is "no term".
struct Term {
  uint32_t id = 0;
  /// True when the handle refers to an expression.
  [[nodiscard]] bool valid() const { return id != 0; }
  friend bool operator==(const Term &, const Term &) = default;
};

/// Owner of the Z3 context and of every expression; builds terms.
/// Bit-vector operators have plain SMT-LIB semantics (no total-division
/// adjustments: those belong to the opcode semantics built on top).
class Context {
public:
  Context();
  ~Context();
  Context(const Context &) = delete;
  Context &operator=(const Context &) = delete;

  // constants and variables
  /// Bit-vector constant of `bits` bits (value truncated).
  Term bv(uint64_t value, unsigned bits);
  /// Fresh or existing bit-vector variable named `name`.
  Term var(const std::string &name, unsigned bits);
  /// Boolean constant.
  Term boolean(bool b);
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
  /// Z3's simplifier applied to a.
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
  /// Number of terms built so far.
  [[nodiscard]] size_t size() const;

  struct Impl;
  /// Internal: the Z3 side (only smt/*.cpp use it).
  Impl &impl() { return *impl_; }

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
  /// Value of a bit-vector (or Boolean, as 0/1) term in the model, with
  /// model completion; nullopt for arrays or when there is no model.
  [[nodiscard]] std::optional<uint64_t> eval(Term t) const;
  /// Whether the model exists.
  [[nodiscard]] bool valid() const;

  struct Impl;
  /// Internal: constructs from the Z3 side.
  explicit Model(std::unique_ptr<Impl> impl);

private:
  std::unique_ptr<Impl> impl_;
};

/// Outcome of proving one goal.
enum class Verdict : uint8_t { Proved, Refuted, Unknown };

/// What Solver::check found.
struct CheckResult {
  Verdict verdict = Verdict::Unknown;
  bool syntactic = false;  ///< decided by simplification alone
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
  /// or incomplete answer gives Unknown, never Proved.
  CheckResult check(const std::string &name, Term goal, unsigned timeoutMs);
  /// Self-contained SMT-LIB2 text asking for a model of (not goal):
  /// set-logic, declarations, one assertion, check-sat. `unsat` means the
  /// goal holds.
  [[nodiscard]] std::string toSmtLib(const std::string &name, Term goal) const;

private:
  Context &ctx_;
};

}  // namespace vcr::verifier::smt
