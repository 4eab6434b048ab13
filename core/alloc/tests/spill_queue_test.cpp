// SpillQueue (core/alloc/spill_queue.h) against std::set: the same keys come
// out in the same order under IRC's pattern of use (bulk pushes, lazy
// re-keys to larger costs, occasional smaller keys, many equal costs).
#include "core/alloc/spill_queue.h"

#include <doctest/doctest.h>

#include <bit>
#include <random>
#include <set>

using vcr::alloc::SpillQueue;

namespace {

uint64_t key(float cost, uint32_t node) { return uint64_t(std::bit_cast<uint32_t>(cost)) << 32 | node; }
float costOf(uint64_t k) { return std::bit_cast<float>(static_cast<uint32_t>(k >> 32)); }

}  // namespace

TEST_CASE("SpillQueue pops keys in sorted order") {
  std::mt19937 rng(7);
  SpillQueue q;
  for (int round = 0; round < 3; ++round) {  // clear() and reuse
    q.clear();
    std::set<uint64_t> ref;
    uint32_t node = 0;
    auto push = [&](uint64_t k) {
      q.push(k);
      ref.insert(k);
    };
    // Bulk: many equal costs (weight 2 over a few degrees), a spread of
    // others, and infinite ones (spill temps).
    q.beginBulk();
    for (int i = 0; i < 3000; ++i) {
      float cost = rng() % 3 == 0 ? 2.0f / float(50 + rng() % 8) : float(rng() % 100000) / 997.0f;
      if (rng() % 200 == 0) cost = std::numeric_limits<float>::infinity();
      push(key(cost, node++));
    }
    q.endBulk();
    REQUIRE(q.size() == ref.size());
    while (!ref.empty()) {
      REQUIRE(q.top() == *ref.begin());
      if (ref.size() > 1) REQUIRE(q.second() == *std::next(ref.begin()));
      if (rng() % 3 == 0) {  // re-key the top in place, as IRC does
        const uint64_t old = q.top();
        const uint64_t k = key(costOf(old) * (1.0f + float(rng() % 20) / 100.0f) + 1e-6f, static_cast<uint32_t>(old));
        q.replaceTop(k);
        ref.erase(ref.begin());
        ref.insert(k);
        REQUIRE(q.top() == *ref.begin());
        continue;
      }
      const uint64_t k = q.pop();
      REQUIRE(k == *ref.begin());
      ref.erase(ref.begin());
      switch (rng() % 4) {
      case 0:  // re-key: the same node with a larger cost
        push(key(costOf(k) * (1.0f + float(rng() % 50) / 100.0f) + 1e-6f, static_cast<uint32_t>(k)));
        break;
      case 1:  // a new candidate, possibly below everything
        if (rng() % 4 == 0) push(key(float(rng() % 1000) / 1e5f, node++));
        break;
      default:
        break;
      }
      if (ref.size() > 6000) break;
      REQUIRE(q.size() == ref.size());
      REQUIRE(q.empty() == ref.empty());
    }
  }
}
