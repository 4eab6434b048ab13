// The recovery ladder over the legacy allocator model: which rung compiles each function.
#include "ladder/ladder.h"

#include <algorithm>

namespace vcr::ladder {

namespace {

constexpr unsigned kMinPoolSlots = 8, kMaxPoolSlots = 120;

bool vfpExhaustion(LegacyError e) { return e == LegacyError::VfpExhausted || e == LegacyError::VfpDExhausted; }

bool exhaustion(LegacyError e) {
  return e == LegacyError::NoFreeTemp || e == LegacyError::NoPair || e == LegacyError::PoolExhausted ||
         vfpExhaustion(e);
}

class Ladder {
public:
  Ladder(const mir::Function &f, const mir::Module &m, const LegacyEnv &env) : f_(f), m_(m), env_(env) {}

  /// One attempt; true when it allocated (then `out.result` holds it).
  bool attempt(const std::string &rung, bool promotionOff, LegacyConfig cfg) {
    LegacyOutcome o = LegacyAllocator(cfg, env_).run(f_, m_);
    if (o.error == LegacyError::Skipped) {  // the rung does not apply: no attempt ran, no log line
      last_ = o.error;
      results_.push_back(std::move(o.result));
      return false;
    }
    out.attempts.push_back({rung, promotionOff, cfg, o.error, o.result.error});
    last_ = o.error;
    if (out.attempts.size() == 1) {
      out.promotedLocals = o.promotedLocals;
      out.depthBound = env_.wasm ? env_.wasm->depthBound : o.maxStackDepth;  // the wasm operand stack's, if known
    }
    if (o.error == LegacyError::None) {
      out.result = std::move(o.result);
      return true;
    }
    results_.push_back(std::move(o.result));
    return false;
  }

  /// base -> spill (after "all allocatable...") -> param-backing (after "no
  /// consecutive pair") -> after a VFP exhaustion: vfp-spill (from base),
  /// or vfp-spill+int (the VFP file spilling on top of the spill or
  /// param-backing configuration; also after a core exhaustion at
  /// vfp-spill); the error that ended the sequence is in `last_`.
  bool sequence(bool promotion, unsigned slots, const char *poolGrow) {
    const bool off = !promotion;
    // Inside pool-grow the attempts are named pool-grow, pool-grow+spill, pool-grow+param-backing.
    auto name = [&](const char *r) {
      if (!poolGrow) return std::string(r);
      return std::string(r) == "base" ? std::string(poolGrow) : std::string(poolGrow) + "+" + r;
    };
    LegacyConfig c{promotion, false, false, slots};
    if (attempt(name("base"), off, c)) return true;
    if (last_ == LegacyError::NoFreeTemp) {
      c.spilling = true;
      if (attempt(name("spill"), off, c)) return true;
    }
    if (last_ == LegacyError::NoPair) {
      c.spilling = true;
      c.paramBacking = true;
      if (attempt(name("param-backing"), off, c)) return true;
    }
    if (vfpExhaustion(last_)) {
      // The VFP file spills on top of the configuration that ran out of it:
      // vfp-spill after base, vfp-spill+int after spill or param-backing
      // (the core rung's configuration is kept).
      c.vfpSpilling = true;
      if (!c.spilling) {
        if (attempt(name("vfp-spill"), off, c)) return true;
        if (last_ != LegacyError::NoFreeTemp && last_ != LegacyError::NoPair) return false;
        c.spilling = true;
        c.paramBacking = last_ == LegacyError::NoPair;
      }
      if (attempt(name("vfp-spill+int"), off, c)) return true;
    }
    return false;
  }

  /// The promotion-on sequence, then the promotion-off one after any
  /// exhaustion; the reported error is the promotion-on one.
  bool withPromotionOff(unsigned slots, const char *poolGrow, std::string &rung) {
    if (sequence(true, slots, poolGrow)) {
      rung = poolGrow ? poolGrow : out.attempts.back().rung;
      return true;
    }
    const LegacyError onError = last_;
    const size_t onResult = results_.size() - 1;
    if (exhaustion(onError) && sequence(false, slots, poolGrow)) {
      rung = poolGrow ? poolGrow : "promotion-off";
      return true;
    }
    last_ = onError;
    reported_ = onResult;
    return false;
  }

  LadderResult run() {
    std::string rung;
    if (std::string why = legacyDecline(f_, m_, env_); !why.empty()) {  // no attempt runs: no log line
      out.rung = "declined";
      out.result.ok = false;
      out.result.error = "function '" + f_.name + "': " + why;
      return std::move(out);
    }
    if (withPromotionOff(kMinPoolSlots, nullptr, rung)) return done(rung);
    if (last_ == LegacyError::PoolExhausted) {
      unsigned slots = std::clamp(out.depthBound + 4, kMinPoolSlots, kMaxPoolSlots);
      if (withPromotionOff(slots, "pool-grow", rung)) return done(rung);
    }
    out.rung = "exhausted";
    out.error = last_;
    if (reported_ < results_.size()) out.result = std::move(results_[reported_]);
    return std::move(out);
  }

  LadderResult out;

private:
  LadderResult done(const std::string &rung) {
    out.rung = rung;
    return std::move(out);
  }

  const mir::Function &f_;
  const mir::Module &m_;
  const LegacyEnv &env_;
  LegacyError last_ = LegacyError::None;
  std::vector<alloc::AllocResult> results_;  ///< failed attempts' results
  size_t reported_ = SIZE_MAX;               ///< the one reported when exhausted
};

class LadderAllocator final : public alloc::Allocator {
public:
  std::string_view name() const override { return "legacy-ladder"; }
  alloc::AllocResult allocate(const mir::Function &f, const mir::Module &m, const alloc::AllocOptions &opt) override {
    LegacyEnv env;
    env.temps = opt.pool.regs.list();
    return runLadder(f, m, env).result;
  }
};

}  // namespace

LadderResult runLadder(const mir::Function &f, const mir::Module &m, const LegacyEnv &env) {
  return Ladder(f, m, env).run();
}

std::string legacyTrace(const LadderResult &r) {
  std::string s;
  for (const auto &a : r.attempts)
    s += "rung=" + a.rung + (a.promotionOff ? " [promotion-off]" : "") +
         (a.error == LegacyError::None ? " result=ok\n" : " result=exhausted\n");
  return s;
}

std::unique_ptr<alloc::Allocator> makeLadderAllocator() { return std::make_unique<LadderAllocator>(); }

}  // namespace vcr::ladder
