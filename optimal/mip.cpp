// The integer program Mip: variables, rows and the completion of a warm start (solve: mip_solve.cpp).
#include "optimal/mip.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

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

}  // namespace vcr::optimal
