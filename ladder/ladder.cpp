// The recovery ladder over the legacy allocator model: which rung compiles each function.
#include "ladder/ladder.h"

#include <algorithm>

namespace vcr::ladder {

namespace {

constexpr unsigned kMaxPoolSlots = 120;

bool exhaustion(LegacyError e) {
  return e == LegacyError::NoFreeTemp || e == LegacyError::NoPair || e == LegacyError::PoolExhausted;
}

class Ladder {
public:
  Ladder(const mir::Function &f, const mir::Module &m) : f_(f), m_(m) {}

  /// One attempt; true when it allocated (then `out.result` holds it).
  bool attempt(const std::string &rung, LegacyConfig cfg) {
    LegacyOutcome o = LegacyAllocator(cfg).run(f_, m_);
    out.attempts.push_back({rung, cfg, o.error, o.result.error});
    last = o.error;
    if (out.attempts.size() == 1) {
      out.promotedLocals = o.promotedLocals;
      out.depthBound = o.maxStackDepth;
    }
    out.result = std::move(o.result);
    if (o.error == LegacyError::None) out.rung = rung;
    return o.error == LegacyError::None;
  }

  /// Rungs 0, 2 and 3 with the given promotion and pool, stopping at the
  /// first success or at a failure that is not register exhaustion.
  bool rungs0to3(const std::string &name, bool promotion, unsigned slots, bool withBase) {
    LegacyConfig c{promotion, false, false, slots};
    if (withBase && attempt(name.empty() ? "base" : name, c)) return true;
    if (!exhaustion(last)) return false;
    c.spilling = true;
    if (attempt(name.empty() ? "spill" : name, c)) return true;
    if (!exhaustion(last)) return false;
    c.paramBacking = true;
    return attempt(name.empty() ? "param-backing" : name, c);
  }

  LadderResult run() {
    if (rungs0to3("", true, 8, true)) return std::move(out);
    if (exhaustion(last) && out.promotedLocals > 0 && rungs0to3("promotion-off", false, 8, true))
      return std::move(out);
    if (last == LegacyError::PoolExhausted) {
      unsigned slots = std::min(out.depthBound + 4, kMaxPoolSlots);
      if (rungs0to3("pool-grow", true, slots, false)) return std::move(out);
      if (exhaustion(last) && out.promotedLocals > 0 && rungs0to3("pool-grow", false, slots, false))
        return std::move(out);
    }
    out.rung = "exhausted";
    return std::move(out);
  }

  LadderResult out;
  LegacyError last = LegacyError::None;

private:
  const mir::Function &f_;
  const mir::Module &m_;
};

class LadderAllocator final : public alloc::Allocator {
public:
  std::string_view name() const override { return "legacy-ladder"; }
  alloc::AllocResult allocate(const mir::Function &f, const mir::Module &m, const alloc::AllocOptions &) override {
    return runLadder(f, m).result;
  }
};

}  // namespace

LadderResult runLadder(const mir::Function &f, const mir::Module &m) { return Ladder(f, m).run(); }

std::unique_ptr<alloc::Allocator> makeLadderAllocator() { return std::make_unique<LadderAllocator>(); }

}  // namespace vcr::ladder
