#pragma once
/// Private to verifier/smt: the checker's own hash-consed term DAG behind
/// smt::Context. Nodes are normalised when built (context.cpp), so two
/// handles denote the same expression iff their ids are equal. No Z3 here:
/// the Z3 side (z3side.h) is created only when a goal reaches the solver.

#include "verifier/smt/smt.h"

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace vcr::verifier::smt {

/// Node operators. Comparisons are normalised to Eq/ULt/ULe/SLt/SLe; zext is
/// a Concat with a zero constant; Boolean iff is Eq on Bool operands.
enum class Op : uint8_t {
  Const, Var, ArrayVar,
  Add, Sub, Mul, And, Or, Xor, Shl, LShr, AShr, UDiv, SDiv, URem, SRem,
  Not, Eq, ULt, ULe, SLt, SLe, Extract, Concat, SExt, Ite,
  LAnd, LOr, LNot, Select, Store
};

/// Sorts: bit-vectors, Booleans, Array(BV32, BV8) memory, Array(BV32, BV32) globals.
enum class Sort : uint8_t { BV, Bool, Mem, Glob };

/// One hash-consed node. `val`: the constant (Const, Bool 0/1), the name
/// index or kKeyed | key (Var, ArrayVar), hi << 8 | lo (Extract), the extra
/// bits (SExt).
struct Node {
  Op op = Op::Const;
  Sort sort = Sort::Bool;
  uint8_t width = 0;  ///< bit-vector width (1..64); 0 for other sorts
  uint8_t nkids = 0;
  uint32_t kid[3] = {0, 0, 0};
  uint64_t val = 0;
  friend bool operator==(const Node &, const Node &) = default;
};

/// Marks the `val` of a keyed variable (Context::input): the low 32 bits are the key.
inline constexpr uint64_t kKeyed = uint64_t(1) << 40;

/// All-ones mask of `w` bits (w in 1..64).
[[nodiscard]] inline uint64_t maskOf(unsigned w) {
  return w >= 64 ? ~uint64_t(0) : (uint64_t(1) << w) - 1;
}

/// Bit-vector operator semantics of SMT-LIB on values of `w` bits
/// (eval.cpp): the folding rules and the evaluator share them.
[[nodiscard]] uint64_t applyBin(Op op, unsigned w, uint64_t a, uint64_t b);
/// Comparison semantics (Eq, ULt, ULe, SLt, SLe) on `w`-bit values.
[[nodiscard]] bool applyCmp(Op op, unsigned w, uint64_t a, uint64_t b);
/// Sign-extend a `w`-bit value to 64 bits (as two's complement).
[[nodiscard]] int64_t signedOf(uint64_t v, unsigned w);

struct Z3Side;
/// Deletes the Z3 side (z3side.cpp, where it is complete).
struct Z3SideDeleter {
  void operator()(Z3Side *p) const;
};

/// The node table with its hash-consing index and variable names.
struct Context::Impl {
  std::vector<Node> nodes;       ///< nodes[0] is a placeholder ("no term")
  std::vector<uint32_t> slots;   ///< open-addressing hash index of nodes (0 = empty)
  std::vector<std::string> names;  ///< variable names, by name index
  std::vector<uint32_t> nameSlots; ///< open-addressing index of names (index + 1; 0 = empty)
  std::unordered_map<uint64_t, uint32_t> extractMemo;  ///< (node, hi, lo) -> result
  std::unordered_map<uint32_t, std::string> keyedNames;  ///< display names of keyed variables, by node
  std::unique_ptr<Z3Side, Z3SideDeleter> z3;  ///< created on the first solver call
  bool normalise = true;         ///< false: build terms as given (a test oracle)
  uint32_t falseId = 0, trueId = 0;  ///< the Boolean literals (built first)

  Impl();
  /// Back to the state of a new table (only the two Boolean literals).
  void clear();

  /// The hash-consed node equal to `n` (created if new).
  uint32_t intern(const Node &n);
  /// The node of a handle; throws std::logic_error on an invalid one.
  [[nodiscard]] const Node &node(uint32_t id) const {
    if (id == 0 || id >= nodes.size()) throw std::logic_error("smt: invalid term handle");
    return nodes[id];
  }
  /// Index of a variable name (interned).
  uint32_t nameOf(std::string_view name);
  /// The name of variable node `id` that no other variable has: its
  /// interned name, or "k!<id>" for a keyed one (what Z3 is given).
  [[nodiscard]] std::string uniqueName(uint32_t id) const;
  /// The name of variable node `id` for people: its interned name, a keyed
  /// variable's display name, else its unique name.
  [[nodiscard]] std::string displayName(uint32_t id) const;
};

/// Ids of the nodes reachable from `roots`, children before parents.
[[nodiscard]] std::vector<uint32_t> topoOrder(const Context::Impl &c, const std::vector<uint32_t> &roots);

/// Concrete evaluation of nodes under an assignment of their variables
/// (eval.cpp). Bit-vectors and Booleans are numbers; arrays are read
/// lazily through their store chains down to an array variable, whose
/// contents come from `arrayRead`.
class Evaluator {
public:
  /// Reads array variable `var` (node id) at `idx`.
  using ArrayRead = uint64_t (*)(const void *env, uint32_t var, uint64_t idx);
  /// Whether two distinct array variables agree everywhere outside `keys`.
  using ArrayAgree = bool (*)(const void *env, uint32_t a, uint32_t b,
                              const std::vector<uint64_t> &keys);

  Evaluator(const Context::Impl &c, ArrayRead read, ArrayAgree agree, const void *env);
  /// Forget every value (keeps the buffers).
  void reset();
  /// Fix the value of a variable node (before evaluating anything using it).
  void setVar(uint32_t id, uint64_t v);
  /// Evaluate the nodes of `order` (children first), skipping known ones.
  void run(const std::vector<uint32_t> &order);
  /// The value of node `id` (evaluating what is needed).
  uint64_t value(uint32_t id);
  /// Value of an already evaluated node.
  [[nodiscard]] uint64_t known(uint32_t id) const { return vals_[id]; }

private:
  uint64_t compute(const Node &n, uint32_t id);
  uint64_t readArray(uint32_t arr, uint64_t idx);
  bool arraysEqual(uint32_t a, uint32_t b);

  const Context::Impl &c_;
  ArrayRead read_;
  ArrayAgree agree_;
  const void *env_;
  std::vector<uint64_t> vals_;
  std::vector<uint32_t> stamp_;
  uint32_t epoch_ = 1;
};

/// A model: values of bit-vector variables (others are 0) and the array
/// variables' contents through `read`/`agree` over `env`.
struct Model::Impl {
  const Context::Impl *ctx = nullptr;
  std::vector<std::pair<uint32_t, uint64_t>> vars;  ///< (variable node, value)
  Evaluator::ArrayRead read = nullptr;
  Evaluator::ArrayAgree agree = nullptr;
  std::shared_ptr<const void> env;                  ///< keeps `read`'s data alive
  mutable std::unique_ptr<Evaluator> ev;            ///< built on the first eval
};

/// A model of the given variable values whose array variables hold
/// pseudo-random contents determined by `seed` (solver.cpp).
[[nodiscard]] std::unique_ptr<Model::Impl> randomArrayModel(
    const Context::Impl &c, std::vector<std::pair<uint32_t, uint64_t>> vars, uint64_t seed);

/// SMT-LIB2 file asking for a model of (not goal) (print.cpp).
[[nodiscard]] std::string smtLibQuery(const Context::Impl &c, const std::string &name, uint32_t goal);

/// Decide `goal` with Z3 under `timeoutMs`, filling verdict, reason and (when
/// refuted) the model of `r` (z3side.cpp). Never throws.
void solveWithZ3(Context::Impl &c, const std::string &name, uint32_t goal, unsigned timeoutMs,
                 CheckResult &r);

}  // namespace vcr::verifier::smt
