// checkFunction: runs the structural, frame, edge and per-block SMT obligations of one function.
#include "verifier/checker.h"

#include "core/ir/cfg.h"
#include "verifier/dataflow.h"
#include "verifier/liveness.h"
#include "verifier/pairing.h"
#include "verifier/smt/smt.h"
#include "verifier/smt_export.h"
#include "verifier/symexec.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>

namespace vcr::verifier {

using namespace mir;

namespace {

std::string hex(std::optional<uint64_t> v) {
  if (!v) return "<array or unknown>";
  char buf[32];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(*v));
  return buf;
}

/// Decides pending obligations with one solver.
struct Decider {
  smt::Context &ctx;
  smt::Solver solver;
  const CheckOptions &opt;

  /// Decide `p`; a refutation's model is left in `model` for explain().
  Obligation decide(PendingObligation &&p, smt::Model &model) {
    Obligation o = std::move(p.ob);
    if (o.status != Status::Proved || p.goals.empty()) return o;
    smt::Term all = ctx.boolean(true);
    for (const Goal &g : p.goals) all = ctx.land(all, ctx.eq(g.orig, g.alloc));
    smt::CheckResult r = solver.check(o.id, all, opt.timeoutMs);
    o.solverTimeUs = r.timeUs;
    o.method = r.method;
    if (r.verdict == smt::Verdict::Proved) {
      o.status = Status::Proved;
      return o;
    }
    if (r.verdict == smt::Verdict::Unknown) {
      o.status = Status::Unknown;
      o.detail = "solver gave no answer: " + r.reason;
      return o;
    }
    o.status = Status::Refuted;
    o.hasCounterexample = true;
    model = std::move(r.model);
    return o;
  }

  /// Two memories (or globals tables) that differ under `model`: name a
  /// cell where they do, among the addresses either side stores to.
  void witnessCell(const Goal &g, const smt::Model &model, Counterexample &cx) {
    std::vector<smt::Term> idx = ctx.storeIndices(g.orig);
    for (smt::Term t : ctx.storeIndices(g.alloc)) idx.push_back(t);
    for (smt::Term i : idx) {
      const auto a = model.eval(ctx.select(g.orig, i)), b = model.eval(ctx.select(g.alloc, i));
      if (a && b && *a != *b) {
        cx.location += " at address " + hex(model.eval(i));
        cx.expected = hex(a);
        cx.actual = hex(b);
        return;
      }
    }
  }

  /// Fill the counterexample of refuted `o` from `model`, with the goal
  /// labels of `p` and the trace of its block (both built with text).
  void explain(Obligation &o, const PendingObligation &p, const BlockTrace &trace,
               const smt::Model &model) {
    std::vector<smt::Term> eqs;
    for (const Goal &g : p.goals) eqs.push_back(ctx.eq(g.orig, g.alloc));
    Counterexample &cx = o.cex;
    for (size_t k = 0; k < p.goals.size(); ++k)
      if (model.eval(eqs[k]) == 0u) {
        cx.location = p.goals[k].label;
        const std::optional<uint64_t> orig = model.eval(p.goals[k].orig);
        cx.expected = hex(orig);
        cx.actual = hex(model.eval(p.goals[k].alloc));
        if (!orig) witnessCell(p.goals[k], model, cx);  // arrays: name a differing cell
        break;
      }
    o.detail = "differs: " + cx.location + " (original " + cx.expected + ", allocated " +
               cx.actual + ")";
    // the inputs the failing goal depends on (all block inputs if none failed)
    std::vector<std::string> used;
    for (const Goal &g : p.goals)
      if (g.label == cx.location) {
        used = ctx.variablesOf(g.orig);
        for (auto &n : ctx.variablesOf(g.alloc)) used.push_back(n);
      }
    for (const auto &[name, t] : trace.inputs) {
      const std::vector<std::string> vars = ctx.variablesOf(t);
      const bool relevant = cx.location.empty() || (!vars.empty() && std::find(used.begin(), used.end(), vars[0]) != used.end());
      if (auto v = model.eval(t); v && relevant) cx.inputs.push_back({name, *v});
    }
    for (const auto &step : trace.steps) {
      std::string line = step.text;
      for (size_t k = 0; k < step.values.size(); ++k)
        line += (k ? ", " : "    ; ") + step.values[k].first + " = " +
                hex(model.eval(step.values[k].second));
      cx.trail.push_back(line);
    }
  }
};

/// Edge obligations: the successor's entry relation is part of the
/// predecessor's exit relation, and the SP offsets agree.
void edgeObligations(const Function &alloc, const Dataflow &df,
                     std::vector<Obligation> &out) {
  for (uint32_t b = 0; b < alloc.blocks.size(); ++b) {
    if (!df.out[b].reached) continue;
    for (BlockId s : df.succs[b]) {
      Obligation o = makeObligation(alloc.name, "bb" + std::to_string(b) + "->bb" +
                                                    std::to_string(s) + ".edge",
                                    "edge", int32_t(b));
      const LocState &x = df.out[b], &y = df.in[s];
      if (x.sp != y.sp) refute(o, "SP differs along the edge");
      // the location's name is built only for a failure
      auto covered = [&](const ValSet &need, const ValSet &have, auto loc) {
        for (uint32_t v : need)
          if (!have.contains(v))  // every value assumed at the entry, pruned or not
            refute(o, loc() + " is assumed to hold " + df.valueName(v) + " but the exit does not");
      };
      static const ValSet none;
      for (unsigned r = 0; r < df.numLocs(); ++r)
        covered(y.regs[r], x.regs[r], [r] { return locName(r); });
      for (const auto &[off, set] : y.frame) {
        auto it = x.frame.find(off);
        covered(set, it == x.frame.end() ? none : it->second, [off = off] { return frameName(off); });
      }
      out.push_back(std::move(o));
    }
  }
}

}  // namespace

CheckResult checkFunction(const Function &original, const Function &allocated,
                          const Module &module, const CheckOptions &opt) {
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  CheckResult res;
  auto &obs = res.obligations;
  obs.reserve(8 + 8 * allocated.blocks.size());
  try {
    std::optional<Pairing> pairing =
        checkStructure(original, allocated, module, opt.poolMask, obs);
    if (pairing) {
      const Liveness live = computeLiveness(original, allocated, *pairing);
      const Dataflow df = computeDataflow(original, allocated, module, *pairing, live, opt.stackLimit);
      std::vector<uint32_t> scratch;  // by value id, see SymInput::scratch
      const SymInput in{original, allocated, module, *pairing, live, df, &scratch};
      obs.push_back(checkParamDecl(in));
      Obligation frame = makeObligation(allocated.name, "frame", "frame", -1);
      for (const FrameIssue &fi : df.issues)
        refute(frame, "bb" + std::to_string(fi.block) +
                          (fi.instr >= 0 ? " instr " + std::to_string(fi.instr) : " entry") +
                          ": " + fi.what);
      obs.push_back(std::move(frame));
      edgeObligations(allocated, df, obs);
      // One context, reset per block: blocks share no term, and the term
      // table stays as small as a block however big the function is.
      // The context's tables are kept per thread across functions (reset()
      // forgets every term), so a small function does not pay for them.
      // Reset again on leaving, however it is left: no Z3 term outlives the
      // function (the thread's Z3 context may be destroyed first at exit).
      thread_local smt::Context ctx;
      struct ResetOnExit {
        smt::Context &c;
        ~ResetOnExit() {
          try {
            c.reset();
          } catch (...) {  // out of memory while clearing: nothing better to do here
          }
        }
      } resetOnExit{ctx};
      Decider d{ctx, smt::Solver(ctx), opt};
      // --smt: every SMT obligation as stated, rebuilt without normalisation
      std::unique_ptr<SmtExport> exporter;
      if (!opt.smtDir.empty()) exporter = std::make_unique<SmtExport>(in, opt.smtDir);
      for (uint32_t b = 0; b < allocated.blocks.size(); ++b) {
        if (!df.in[b].reached) continue;
        ctx.reset();
        // Labels and trace are built only for a block with a counterexample to report.
        BlockQueries q = buildBlockQueries(in, b, ctx, false);
        std::optional<BlockQueries> text;
        if (exporter) exporter->beginBlock(b, q.obligations);
        for (size_t k = 0; k < q.obligations.size(); ++k) {
          smt::Model model;
          Obligation o = d.decide(std::move(q.obligations[k]), model);
          if (exporter) exporter->decided(k, o);
          if (o.hasCounterexample) {
            if (!text) text = buildBlockQueries(in, b, ctx, true);
            if (k >= text->obligations.size() || text->obligations[k].ob.id != o.id)
              throw std::logic_error("block " + std::to_string(b) + " rebuilt differently");
            d.explain(o, text->obligations[k], text->trace, model);
          }
          obs.push_back(std::move(o));
        }
      }
    }
  } catch (const std::exception &e) {
    Obligation o = makeObligation(allocated.name, "internal", "structure", -1);
    o.status = Status::Unknown;
    o.detail = std::string("checker could not complete: ") + e.what();
    obs.push_back(std::move(o));
  }
  for (const Obligation &o : obs) {
    if (o.status == Status::Proved) ++res.proved;
    else if (o.status == Status::Refuted) ++res.refuted;
    else ++res.unknown;
  }
  res.timeUs = static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start).count());
  return res;
}

}  // namespace vcr::verifier
