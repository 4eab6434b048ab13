// Hint recolouring after colouring: change the colour of a move's end (and of the neighbours in its way) when that removes weighted moves.
//
// Iterated register coalescing is conservative: a move whose ends do not
// interfere stays in the code when merging them could have made the graph
// uncolourable, and select may then give the ends different colours that a
// later choice blocks. Measured against the optimal allocator, such moves
// were the largest share of vcr-ra's excess cost, one inside a loop costing
// ten. This pass is LLVM's "hint recolouring" (RegAllocGreedy's
// tryHintsRecoloring) in a graph-colouring allocator: for each move whose
// ends got different colours, heaviest first, it tries to give one end the
// other's colour; every neighbour holding that colour must move to a colour
// none of its own neighbours holds. The change is kept when the weighted
// moves of every node it touches go down in total. It never adds a
// callee-saved register that the colouring did not already push. It runs
// on the round's interference graph, before the colour repair: the values
// IRC left uncoloured (to be spilled) constrain nothing, and the repair
// then colours its spill temps around the colours as they are. So every
// colouring it makes is as valid as the one it started from (and the
// checker verifies the code either way), and no graph of the repaired code
// is built (it was a fifth of the allocation time; alloc_bench).
#include "core/alloc/work.h"

#include <algorithm>
#include <cstring>

namespace vcr::alloc {

namespace {

class Recolour {
public:
  Recolour(const Interference &g, std::vector<int> &colour, PRegMask pool, PRegMask callee, PRegMask used)
      : g_(g), colour_(colour), pool_(pool), callee_(callee), used_(used) {}

  unsigned run() {
    const std::vector<uint32_t> order = heaviestFirst();
    unsigned changed = 0;
    for (int pass = 0; pass < 4; ++pass) {
      bool any = false;
      for (uint32_t mi : order) {
        const GraphMove &m = g_.moves[mi];
        const int cd = colourOf(m.dst), cs = colourOf(m.src);
        if (cd < 0 || cs < 0 || cd == cs) continue;
        if (tryGive(m.dst, cs) || tryGive(m.src, cd)) {
          any = true;
          ++changed;
        }
      }
      if (!any) break;
    }
    return changed;
  }

private:
  const Interference &g_;
  std::vector<int> &colour_;
  PRegMask pool_;
  PRegMask callee_;  ///< callee-saved colours of the class
  PRegMask used_;  ///< colours in use: a callee-saved one outside it costs a push and a pop
  std::vector<std::pair<uint32_t, int>> undo_;
  std::vector<uint32_t> blockers_;  ///< tryGive's (storage kept from call to call)
  std::vector<int> saved_;          ///< gain's

  /// The moves by weight, heaviest first, in index order among equals (a
  /// stable sort): one sort of 64-bit keys, the weight's bits made to
  /// order as the weight does above the index, instead of a stable sort of
  /// indices whose every comparison looks up two moves.
  std::vector<uint32_t> heaviestFirst() const {
    std::vector<uint64_t> key(g_.moves.size());
    for (uint32_t i = 0; i < key.size(); ++i) {
      uint32_t w;
      std::memcpy(&w, &g_.moves[i].weight, sizeof w);
      w = w >> 31 ? ~w : w | 0x80000000u;  // the float's order as an unsigned one (weights: 10^depth)
      key[i] = uint64_t(~w) << 32 | i;     // ascending keys: descending weights
    }
    std::sort(key.begin(), key.end());
    std::vector<uint32_t> order(key.size());
    for (size_t k = 0; k < key.size(); ++k) order[k] = static_cast<uint32_t>(key[k]);
    return order;
  }

  int colourOf(uint32_t n) const {
    if (Interference::precoloured(n)) return static_cast<int>(n);
    return n < colour_.size() ? colour_[n] : -1;
  }

  /// Weighted moves of node n that would stay in the code with colour c.
  double moveCost(uint32_t n, int c) const {
    double cost = 0;
    g_.forEachMove(n, [&](uint32_t mi) {
      const GraphMove &m = g_.moves[mi];
      if (colourOf(m.dst == n ? m.src : m.dst) != c) cost += m.weight;
    });
    return cost;
  }

  /// Colours no neighbour of n holds, and n may take.
  PRegMask freeFor(uint32_t n) const {
    PRegMask busy = 0;
    g_.forEachNeighbour(n, [&](uint32_t x) {
      if (int c = colourOf(x); c >= 0) busy |= 1u << c;
    });
    return pool_ & ~busy & ~g_.preMask[n];
  }

  void set(uint32_t n, int c) {
    undo_.push_back({n, colour_[n]});
    colour_[n] = c;
  }

  void rollback() {
    for (auto it = undo_.rbegin(); it != undo_.rend(); ++it) colour_[it->first] = it->second;
    undo_.clear();
  }

  /// Give node x colour c, moving its neighbours of colour c elsewhere;
  /// kept only if the weighted moves of x and of the moved neighbours fall.
  /// (Most calls end at the first test, which is kept apart from the rest
  /// so that the call is cheap.)
  bool tryGive(uint32_t x, int c) {
    if (Interference::precoloured(x) || colour_[x] < 0 || !(pool_ >> c & 1) || (g_.preMask[x] >> c & 1))
      return false;
    return give(x, c);
  }

  /// tryGive for a node that may take colour c.
  bool give(uint32_t x, int c) {
    blockers_.clear();
    bool fixed = false;
    g_.forEachNeighbour(x, [&](uint32_t n) {
      if (colourOf(n) != c) return;
      if (Interference::precoloured(n)) fixed = true;
      else blockers_.push_back(n);
    });
    if (fixed) return false;
    undo_.clear();
    set(x, c);
    for (uint32_t b : blockers_) {
      int best = -1;
      double bestCost = 0;
      for (PRegMask r = freeFor(b); r; r &= r - 1) {
        const int a = __builtin_ctz(r);
        const double cost = moveCost(b, a);
        if (best < 0 || cost < bestCost) best = a, bestCost = cost;
      }
      if (best < 0) {
        rollback();
        return false;
      }
      set(b, best);
    }
    // A callee-saved register not yet pushed costs a push and a pop (once
    // per call of the function): it must buy more than that.
    PRegMask fresh = 0;
    for (auto &[n, old] : undo_) fresh |= 1u << colour_[n];
    fresh &= callee_ & ~used_;
    if (!(gain() > (fresh ? 2.0 : 0.0) + 1e-9)) {
      rollback();
      return false;
    }
    used_ |= fresh;
    undo_.clear();
    return true;
  }

  /// How many weighted moves the changes in undo_ remove (negative: add),
  /// counting a move between two changed nodes once.
  double gain() {
    double now = 0, was = 0;
    auto count = [&](double &acc) {
      for (const auto &change : undo_) {
        const uint32_t n = change.first;
        g_.forEachMove(n, [&](uint32_t mi) {
          const GraphMove &m = g_.moves[mi];
          const uint32_t other = m.dst == n ? m.src : m.dst;
          if (changed(other) && other < n) return;  // counted from the other end
          if (colourOf(m.dst) != colourOf(m.src)) acc += m.weight;
        });
      }
    };
    count(now);
    saved_.clear();
    for (auto &[n, old] : undo_) saved_.push_back(colour_[n]);
    for (auto &[n, old] : undo_) colour_[n] = old;
    count(was);
    for (size_t i = 0; i < undo_.size(); ++i) colour_[undo_[i].first] = saved_[i];
    return was - now;
  }

  bool changed(uint32_t n) const {
    for (auto &[m, old] : undo_)
      if (m == n) return true;
    return false;
  }
};

}  // namespace

unsigned recolourForMoves(const Interference &g, const ClassRegs &cr, std::vector<int> &colour) {
  PRegMask used = 0;
  for (uint32_t n = kVRegBase; n < colour.size() && n < g.numNodes; ++n)
    if (colour[n] >= 0 && g.occurs.test(n)) used |= 1u << colour[n];
  Recolour r(g, colour, cr.pool, cr.callee, used);
  return r.run();
}

}  // namespace vcr::alloc
