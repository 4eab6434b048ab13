// The CBC back end of Mip: compressed-column load, time limit, status, solution and bound.
#include "optimal/mip.h"

#include <coin/Cbc_C_Interface.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>

namespace vcr::optimal {

int Mip::addVar(double lb, double ub, double obj, bool integer) {
  lb_.push_back(lb);
  ub_.push_back(ub);
  obj_.push_back(obj);
  integer_.push_back(integer ? 1 : 0);
  return static_cast<int>(lb_.size() - 1);
}

void Mip::fix(int v, double value) {
  lb_[static_cast<size_t>(v)] = value;
  ub_[static_cast<size_t>(v)] = value;
}

void Mip::addRow(const std::vector<std::pair<int, double>> &terms, double lo, double hi) {
  const int row = static_cast<int>(rowLo_.size());
  rowLo_.push_back(lo);
  rowHi_.push_back(hi);
  for (const auto &[col, coef] : terms) {
    tripRow_.push_back(row);
    tripCol_.push_back(col);
    tripVal_.push_back(coef);
  }
}

bool Mip::completeStart(std::vector<double> &x) const {
  const size_t nc = lb_.size(), nr = rowLo_.size();
  if (x.size() != nc) return false;
  std::vector<std::vector<std::pair<int, double>>> rows(nr);
  for (size_t k = 0; k < tripRow_.size(); ++k)
    rows[static_cast<size_t>(tripRow_[k])].push_back({tripCol_[k], tripVal_[k]});
  auto activity = [&](size_t r) {
    double a = 0;
    for (auto [c, v] : rows[r]) a += v * x[static_cast<size_t>(c)];
    return a;
  };
  for (size_t c = 0; c < nc; ++c)
    if (!integer_[c]) x[c] = lb_[c];
  for (size_t r = 0; r < nr; ++r) {
    double need = rowLo_[r] - activity(r);
    for (auto [c, v] : rows[r]) {
      if (need <= 1e-9) break;
      auto cc = static_cast<size_t>(c);
      if (integer_[cc] || v <= 0) continue;
      double up = std::min(ub_[cc], x[cc] + need / v);
      need -= (up - x[cc]) * v;
      x[cc] = up;
    }
  }
  for (size_t c = 0; c < nc; ++c)
    if (x[c] < lb_[c] - 1e-9 || x[c] > ub_[c] + 1e-9) return false;
  for (size_t r = 0; r < nr; ++r) {
    double a = activity(r);
    if (a < rowLo_[r] - 1e-6 || a > rowHi_[r] + 1e-6) {
      if (std::getenv("VCR_OPTIMAL_DEBUG")) {
        fprintf(stderr, "start violates row %zu [%g, %g] at %g:", r, rowLo_[r], rowHi_[r], a);
        for (auto [c, v] : rows[r]) fprintf(stderr, " %g*x%d(=%g)", v, c, x[static_cast<size_t>(c)]);
        fprintf(stderr, "\n");
      }
      return false;
    }
  }
  return true;
}

MipResult Mip::solve(double seconds, bool log, const std::vector<double> *warm) const {
  const auto t0 = std::chrono::steady_clock::now();
  const int nc = static_cast<int>(lb_.size()), nr = static_cast<int>(rowLo_.size());
  MipResult r;
  if (nc == 0) {  // nothing to decide
    r.status = "optimal";
    r.found = true;
    return r;
  }
  // Compressed columns: count, prefix sums, then place each triplet.
  std::vector<CoinBigIndex> start(static_cast<size_t>(nc) + 1, 0);
  for (int c : tripCol_) ++start[static_cast<size_t>(c) + 1];
  for (size_t c = 0; c < static_cast<size_t>(nc); ++c) start[c + 1] += start[c];
  std::vector<CoinBigIndex> next(start.begin(), start.end() - 1);
  std::vector<int> index(tripRow_.size());
  std::vector<double> value(tripRow_.size());
  for (size_t k = 0; k < tripRow_.size(); ++k) {
    auto at = static_cast<size_t>(next[static_cast<size_t>(tripCol_[k])]++);
    index[at] = tripRow_[k];
    value[at] = tripVal_[k];
  }
  // CBC's driver (CbcMain1) keeps global state: one solve at a time.
  static std::mutex cbcMutex;
  std::lock_guard<std::mutex> lock(cbcMutex);
  Cbc_Model *m = Cbc_newModel();
  Cbc_loadProblem(m, nc, nr, start.data(), index.data(), value.data(), lb_.data(), ub_.data(), obj_.data(),
                  rowLo_.data(), rowHi_.data());
  for (int c = 0; c < nc; ++c)
    if (integer_[static_cast<size_t>(c)]) Cbc_setInteger(m, c);
  Cbc_setObjSense(m, 1);
  // Debugging aid: VCR_OPTIMAL_LP=FILE writes the program (CPLEX LP format).
  if (const char *dump = std::getenv("VCR_OPTIMAL_LP")) Cbc_writeLp(m, dump);
  Cbc_setLogLevel(m, log ? 1 : 0);
  Cbc_setParameter(m, "slogLevel", log ? "1" : "0");  // the LP solver's messages too (stdout may carry JSON)
  Cbc_setParameter(m, "timeMode", "elapsed");  // wall time, not CPU time
  // CBC 2.10's integer preprocessing can crash (CglPreProcess::postProcess,
  // SIGSEGV) when the time limit stops the search it set up: off.
  Cbc_setParameter(m, "preprocess", "off");
  Cbc_setMaximumSeconds(m, seconds);
  if (warm && warm->size() == static_cast<size_t>(nc)) Cbc_setInitialSolution(m, warm->data());
  Cbc_setAllowableGap(m, 0.5);  // integral objective: within 0.5 is optimal
  Cbc_solve(m);

  const double *best = Cbc_bestSolution(m);
  // Proved optimal only when the search completed: status 0 with secondary
  // 0, or secondary 1 ("nothing beats the cutoff", the warm start) when the
  // solve ended well before the time limit or the start costs nothing.
  // Stopped on time, CBC can also say 0/1 and call its warm start optimal.
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const int secondary = Cbc_secondaryStatus(m);
  const bool completed =
      Cbc_status(m) == 0 &&
      (secondary == 0 || (secondary == 1 && (elapsed < 0.8 * seconds || Cbc_getObjValue(m) < 0.5)));
  const bool optimal = completed && Cbc_isProvenOptimal(m) != 0;
  if (std::getenv("VCR_OPTIMAL_DEBUG")) fprintf(stderr, "cbc status %d secondary %d optimal %d\n", Cbc_status(m), Cbc_secondaryStatus(m), Cbc_isProvenOptimal(m));
  const double possible = Cbc_getBestPossibleObjValue(m);
  if (best) {
    r.found = true;
    r.x.assign(best, best + nc);
    double obj = 0;
    for (int c = 0; c < nc; ++c) obj += obj_[static_cast<size_t>(c)] * best[c];
    r.objective = obj;
    r.status = optimal ? "optimal" : "feasible";
    // A stopped search's bound counts only if it is below the best (else unknown: -1).
    r.bound = optimal ? obj : possible < obj - 0.5 ? std::max(0.0, possible) : -1;
  } else if (Cbc_status(m) == 0 && secondary == 1 && elapsed < 0.8 * seconds) {  // not stopped on time
    r.status = "infeasible";
  } else {
    r.bound = possible > -1e20 && possible < 1e20 ? std::max(0.0, possible) : -1;
  }
  Cbc_deleteModel(m);
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return r;
}

}  // namespace vcr::optimal
