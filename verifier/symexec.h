#pragma once
/// Per-block symbolic execution of the original block and the allocated
/// block side by side, producing the block's SMT obligations (effects,
/// branch, call, ret, preserve, exit). Block entry: every live-in vreg and
/// every location the dataflow says holds it share one symbolic value;
/// entry values of R4-R11/LR are the global pseudo-variables entry.rK.

#include "core/ir/mir.h"
#include "verifier/dataflow.h"
#include "verifier/liveness.h"
#include "verifier/obligation.h"
#include "verifier/pairing.h"
#include "verifier/smt/smt.h"

#include <string>
#include <utility>
#include <vector>

namespace vcr::verifier {

/// One equation to prove: the original side's value equals the allocated side's.
struct Goal {
  std::string label;   ///< the location or event ("r4 holds v7", "load #1 address")
  smt::Term orig, alloc;
};

/// An obligation still to be decided: all goals must hold. If `ob` is
/// already refuted (a syntactic failure) the goals are not asked.
struct PendingObligation {
  Obligation ob;
  std::vector<Goal> goals;
};

/// What a counterexample of a block reports besides the failing goal.
struct BlockTrace {
  std::vector<std::pair<std::string, smt::Term>> inputs;  ///< block input variables
  /// Each allocated instruction, printed, with the terms it defined (name, term).
  struct Step {
    std::string text;
    std::vector<std::pair<std::string, smt::Term>> values;
  };
  std::vector<Step> steps;
};

/// Everything the per-block construction reads.
struct SymInput {
  const mir::Function &original, &allocated;
  const mir::Module &module;
  const Pairing &pairing;
  const Liveness &live;
  const Dataflow &df;
  /// Per-function scratch by value id (df.numVRegs + kNumPseudo entries, all
  /// zero between blocks), so that a block's work follows its own values
  /// rather than the function's. Null: each block allocates its own.
  std::vector<uint32_t> *scratch = nullptr;
};

/// The obligations of allocated block `b` (which must be reached) and its trace.
struct BlockQueries {
  std::vector<PendingObligation> obligations;
  BlockTrace trace;
  /// Stated form only: the block's entry relation In*(b) as equations over
  /// each location's and each vreg's own variable; every goal of the block
  /// is to hold under them.
  std::vector<smt::Term> hypotheses;
};

/// How a block's entry relation In*(b) enters the terms.
enum class EntryForm : uint8_t {
  /// By substitution: values that share a location share one term (what the
  /// checker decides; a correct allocation yields identical terms).
  Substituted,
  /// As stated: every location and every vreg gets its own variable and the
  /// equations of In*(b) become `hypotheses` (what --smt exports, so that an
  /// external solver re-derives the substitution's conclusions).
  Stated,
};

/// Build the block's obligations in context `c`. Without `withText` the goal
/// labels and the trace are left empty (much cheaper); building the same
/// block again with text in the same context yields the same obligations,
/// in the same order, over the same terms.
[[nodiscard]] BlockQueries buildBlockQueries(const SymInput &in, uint32_t b, smt::Context &c,
                                             bool withText = true,
                                             EntryForm form = EntryForm::Substituted);

/// The `abi.params` obligation: the allocated `param` names the AAPCS homes.
[[nodiscard]] Obligation checkParamDecl(const SymInput &in);

}  // namespace vcr::verifier
