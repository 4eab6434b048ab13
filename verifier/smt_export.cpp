// --smt export: each SMT obligation rebuilt without normalisation, written as SMT-LIB2 with a manifest.
#include "verifier/smt_export.h"

#include "verifier/smt/smt.h"

#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace vcr::verifier {

namespace fs = std::filesystem;

std::string smtFileName(const std::string &id) {
  std::string s;
  for (char ch : id) {
    const bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                    (ch >= '0' && ch <= '9') || ch == '_' || ch == '.' || ch == '-';
    s += ok ? ch : '_';
  }
  return s + ".smt2";
}

SmtExport::SmtExport(const SymInput &in, std::string dir) : in_(in), dir_(std::move(dir)) {
  std::error_code ec;
  fs::create_directories(dir_, ec);
  if (ec) throw std::runtime_error("--smt: cannot create " + dir_ + ": " + ec.message());
  manifest_.open(fs::path(dir_) / "manifest.tsv", std::ios::app);
  if (!manifest_) throw std::runtime_error("--smt: cannot write the manifest in " + dir_);
}

SmtExport::~SmtExport() = default;

void SmtExport::beginBlock(uint32_t b, const std::vector<PendingObligation> &pending) {
  // A fresh context per block: no term is shared with the checker's
  // normalising context, and printing stays linear in the block's size.
  ctx_ = std::make_unique<smt::Context>(false);
  raw_ = buildBlockQueries(in_, b, *ctx_, true, EntryForm::Stated);  // with text: named inputs
  const auto &raw = raw_.obligations;
  auto mismatch = [&](const std::string &what) {
    throw std::logic_error("--smt: block " + std::to_string(b) +
                           " built without normalisation differs: " + what);
  };
  if (raw.size() != pending.size())
    mismatch(std::to_string(raw.size()) + " obligations instead of " + std::to_string(pending.size()));
  for (size_t k = 0; k < raw.size(); ++k) {
    const PendingObligation &r = raw[k], &p = pending[k];
    if (r.ob.id != p.ob.id) mismatch("obligation " + r.ob.id + " in place of " + p.ob.id);
    if (r.ob.status != p.ob.status) mismatch("obligation " + p.ob.id + " has another status");
    if (r.goals.size() != p.goals.size()) mismatch("obligation " + p.ob.id + " has other goals");
  }
}

void SmtExport::decided(size_t k, const Obligation &o) {
  if (k >= raw_.obligations.size() || raw_.obligations[k].ob.id != o.id)
    throw std::logic_error("--smt: obligation " + o.id + " is not the one rebuilt");
  const PendingObligation &p = raw_.obligations[k];
  // exactly those Decider::decide hands to the SMT layer
  if (p.ob.status != Status::Proved || p.goals.empty()) return;
  smt::Context &c = *ctx_;
  smt::Term all;
  unsigned differing = 0;
  for (const Goal &g : p.goals) {
    const smt::Term e = c.eq(g.orig, g.alloc);
    all = all.valid() ? c.land(all, e) : e;
    differing += !c.same(g.orig, g.alloc);
  }
  // The goals must follow from the block's entry relation, stated as
  // hypotheses: export H => G, i.e. assert H and (not G).
  smt::Term hyp = c.boolean(true);
  for (const smt::Term &h : raw_.hypotheses) hyp = c.land(hyp, h);
  all = c.lor(c.lnot(hyp), all);
  const std::string file = smtFileName(o.id);
  const std::string verdict = statusName(o.status);
  std::ofstream out(fs::path(dir_) / file);
  out << "; in-process verdict: " << verdict << " (" << o.method << "); " << p.goals.size()
      << " goals, " << differing << " with differing sides, " << raw_.hypotheses.size()
      << " entry equations; terms as stated, not normalised\n"
      << smt::Solver(c).toSmtLib(o.id, all);
  if (!out) throw std::runtime_error("--smt: cannot write " + (fs::path(dir_) / file).string());
  manifest_ << file << '\t' << o.id << '\t' << verdict << '\t' << o.method << '\t' << p.goals.size()
      << '\t' << differing << std::endl;
  if (!manifest_) throw std::runtime_error("--smt: cannot write the manifest in " + dir_);
  ++files_;
}

}  // namespace vcr::verifier
