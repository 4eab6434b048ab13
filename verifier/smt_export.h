#pragma once
/// `--smt DIR`: each SMT obligation of a function written AS STATED, for
/// re-checking by any SMT-LIB solver. The checker decides its obligations
/// over normalised terms; the exporter rebuilds every reached block in a
/// separate, non-normalising smt::Context and writes the conjunction of
/// orig == alloc over the obligation's goals, under the block's entry relation
/// stated as hypotheses (EntryForm::Stated: own variables per location and
/// vreg, no substitution), negated, as DIR/<id>.smt2. An
/// external solver's `unsat` then confirms what the normaliser concluded.
///
/// DIR/manifest.tsv gets one line per exported file (appended):
///   file <TAB> id <TAB> verdict <TAB> method <TAB> goals <TAB> differing
/// verdict/method: the in-process result (proved/refuted/unknown; syntactic,
/// testing or z3); goals: number of equations; differing: how many of them
/// have two structurally different sides (the rest are identical terms, true
/// without any reasoning). Obligations refuted without asking a solver
/// (structural failures, no goals) are not exported.

#include "verifier/obligation.h"
#include "verifier/symexec.h"

#include <cstddef>
#include <cstdint>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

namespace vcr::verifier {

/// Exports the SMT obligations of one function, block by block.
class SmtExport {
public:
  /// Export the obligations of the function pair of `in` into `dir` (created).
  SmtExport(const SymInput &in, std::string dir);
  ~SmtExport();
  SmtExport(const SmtExport &) = delete;
  SmtExport &operator=(const SmtExport &) = delete;

  /// Rebuild block `b` without normalisation. `pending` are the block's
  /// obligations as the checker built them (normalised, not yet decided);
  /// throws std::logic_error unless the rebuild matches them one to one
  /// (same ids, same pre-decision status, same number of goals).
  void beginBlock(uint32_t b, const std::vector<PendingObligation> &pending);

  /// The checker decided the block's `k`-th obligation as `decided`: write
  /// its file and manifest line if it went to the SMT layer.
  void decided(size_t k, const Obligation &decided);

  /// Number of files written so far.
  [[nodiscard]] size_t files() const { return files_; }

private:
  const SymInput &in_;
  std::string dir_;
  std::unique_ptr<smt::Context> ctx_;  ///< the current block's raw terms
  BlockQueries raw_;
  std::ofstream manifest_;             ///< DIR/manifest.tsv, appended
  size_t files_ = 0;
};

/// File name of an obligation id: characters outside [A-Za-z0-9_.-] become
/// '_', then ".smt2".
[[nodiscard]] std::string smtFileName(const std::string &id);

}  // namespace vcr::verifier
