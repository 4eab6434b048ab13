// Iterated register coalescing (George & Appel 1996): simplify, coalesce, freeze, spill, select.
#include "core/alloc/work.h"

#include <algorithm>
#include <functional>
#include <queue>

namespace vcr::alloc {

namespace {

enum class NodeState : uint8_t {
  Precoloured, Absent, Simplify, Freeze, Spill, Spilled, Coalesced, Coloured, Select
};
enum class MoveState : uint8_t { Worklist, Active, Coalesced, Constrained, Frozen };

/// One colouring attempt. Worklists are vectors with lazy deletion: a
/// node's state is authoritative, stale entries are skipped when popped.
class Irc {
public:
  Irc(Interference &g, const WorkFunction &w, const arm::Pool &pool)
      : g_(g), w_(w), k_(pool.regs.size()), state_(g.numNodes, NodeState::Absent),
        alias_(g.numNodes), colour_(g.numNodes, -1), mstate_(g.moves.size(), MoveState::Worklist),
        mark_(g.numNodes, 0) {
    for (PRegMask r = 0; r < kVRegBase; ++r)
      if (pool.regs.contains(static_cast<mir::PReg>(r))) poolMask_ |= 1u << r;
  }

  Colouring run() {
    makeWorklists();
    for (;;) {
      if (nonEmpty(simplifyWl_, NodeState::Simplify)) simplify();
      else if (nextMove()) coalesce();
      else if (nonEmpty(freezeWl_, NodeState::Freeze)) freeze();
      else if (spillNonEmpty()) selectSpill();
      else break;
    }
    return assignColours();
  }

private:
  using PRegMask = uint32_t;
  bool pre(uint32_t n) const { return Interference::precoloured(n); }
  bool noSpill(uint32_t n) const {
    return !pre(n) && n - kVRegBase < w_.noSpill.size() && w_.noSpill[n - kVRegBase];
  }

  /// Calls `stop(m)` for the neighbours m of n still in the graph until it
  /// returns true; returns whether it did. Neighbours that left the graph
  /// (they never come back) are dropped from n's lists on the way, keeping
  /// the order of the others.
  template <class F> bool anyAdjacent(uint32_t n, F &&stop) {
    auto scan = [&](uint32_t *first, uint32_t &len) {
      uint32_t keep = 0, i = 0;
      bool stopped = false;
      for (; i < len; ++i) {
        uint32_t m = first[i];
        if (!live(m)) continue;
        first[keep++] = m;
        if (stop(m)) {
          stopped = true;
          ++i;
          break;
        }
      }
      if (keep != i) std::copy(first + i, first + len, first + keep);
      len -= i - keep;
      return stopped;
    };
    if (scan(nbr_.data() + nbrStart_[n], nbrLen_[n])) return true;
    auto &ex = extra_[n];
    auto len = static_cast<uint32_t>(ex.size());
    bool stopped = scan(ex.data(), len);
    ex.resize(len);
    return stopped;
  }
  template <class F> void forAdjacent(uint32_t n, F &&fn) {
    anyAdjacent(n, [&](uint32_t m) {
      fn(m);
      return false;
    });
  }
  bool moveLive(uint32_t mi) const {
    return mstate_[mi] == MoveState::Worklist || mstate_[mi] == MoveState::Active;
  }
  bool moveRelated(uint32_t n) const { return liveMoves_[n] != 0; }
  /// Move `mi` leaves the worklist/active sets for good (state `s`).
  void retireMove(uint32_t mi, MoveState s) {
    if (moveLive(mi)) {
      --liveMoves_[alias(g_.moves[mi].dst)];
      --liveMoves_[alias(g_.moves[mi].src)];
    }
    mstate_[mi] = s;
  }
  bool nonEmpty(std::vector<uint32_t> &wl, NodeState s) {
    while (!wl.empty() && state_[wl.back()] != s) wl.pop_back();
    return !wl.empty();
  }
  bool spillNonEmpty() {
    while (!spillHeap_.empty() && state_[spillHeap_.top().second] != NodeState::Spill) spillHeap_.pop();
    return !spillHeap_.empty();
  }
  bool nextMove() {
    while (!moveWl_.empty() && mstate_[moveWl_.back()] != MoveState::Worklist) moveWl_.pop_back();
    return !moveWl_.empty();
  }
  void setState(uint32_t n, NodeState s) {
    state_[n] = s;
    if (s == NodeState::Simplify) simplifyWl_.push_back(n);
    else if (s == NodeState::Freeze) freezeWl_.push_back(n);
    else if (s == NodeState::Spill) spillHeap_.push({spillKey(n), n});
  }
  uint32_t alias(uint32_t n) const {
    while (state_[n] == NodeState::Coalesced) n = alias_[n];
    return n;
  }

  /// Working copies of the adjacency lists (pruned as nodes leave the
  /// graph) and the live-move counts.
  void copyGraph() {
    nbrStart_.assign(g_.numNodes, 0);
    nbrLen_.assign(g_.numNodes, 0);
    extra_.resize(g_.numNodes);
    nbr_.reserve(boost::num_edges(*g_.base));
    for (uint32_t n = kVRegBase; n < g_.numNodes; ++n) {
      nbrStart_[n] = static_cast<uint32_t>(nbr_.size());
      for (auto [a, e] = boost::adjacent_vertices(n, *g_.base); a != e; ++a) nbr_.push_back(static_cast<uint32_t>(*a));
      nbrLen_[n] = static_cast<uint32_t>(nbr_.size()) - nbrStart_[n];
      extra_[n] = g_.extra[n];
    }
    moves_ = g_.moveList;
    liveMoves_.assign(g_.numNodes, 0);
    for (const GraphMove &m : g_.moves) {
      ++liveMoves_[m.dst];
      ++liveMoves_[m.src];
    }
  }

  void makeWorklists() {
    copyGraph();
    for (uint32_t n = 0; n < g_.numNodes; ++n) {
      alias_[n] = n;
      if (pre(n)) {
        state_[n] = NodeState::Precoloured;
        colour_[n] = static_cast<int>(n);
      } else if (!g_.occurs.test(n)) {
        state_[n] = NodeState::Absent;
      } else if (g_.degree[n] >= k_) {
        setState(n, NodeState::Spill);
      } else if (moveRelated(n)) {
        setState(n, NodeState::Freeze);
      } else {
        setState(n, NodeState::Simplify);
      }
    }
    for (uint32_t mi = static_cast<uint32_t>(g_.moves.size()); mi-- > 0;) moveWl_.push_back(mi);
  }

  /// Drops the retired moves from n's working move list (order kept).
  std::vector<uint32_t> &liveMoveList(uint32_t n) {
    auto &ml = moves_[n];
    std::erase_if(ml, [&](uint32_t mi) { return !moveLive(mi); });
    return ml;
  }

  void enableMoves(uint32_t n) {
    for (uint32_t mi : liveMoveList(n))
      if (mstate_[mi] == MoveState::Active) {
        mstate_[mi] = MoveState::Worklist;
        moveWl_.push_back(mi);
      }
  }

  void decrementDegree(uint32_t m) {
    if (pre(m)) return;
    uint32_t d = g_.degree[m]--;
    if (d != k_ || state_[m] != NodeState::Spill) return;
    enableMoves(m);
    forAdjacent(m, [&](uint32_t a) { enableMoves(a); });
    setState(m, moveRelated(m) ? NodeState::Freeze : NodeState::Simplify);
  }

  void simplify() {
    uint32_t n = simplifyWl_.back();
    simplifyWl_.pop_back();
    state_[n] = NodeState::Select;
    selectStack_.push_back(n);
    forAdjacent(n, [&](uint32_t m) { decrementDegree(m); });
  }

  void addWorkList(uint32_t u) {
    if (!pre(u) && state_[u] == NodeState::Freeze && g_.degree[u] < k_ && !moveRelated(u))
      setState(u, NodeState::Simplify);
  }
  bool georgeOk(uint32_t t, uint32_t r) const {
    return g_.degree[t] < k_ || pre(t) || g_.interferes(t, r);
  }
  /// George: every significant neighbour of v already interferes with u.
  bool george(uint32_t u, uint32_t v) {
    return !anyAdjacent(v, [&](uint32_t t) { return !georgeOk(t, u); });
  }
  /// Briggs: the merged node has fewer than K significant neighbours.
  bool briggs(uint32_t u, uint32_t v) {
    if (g_.degree[u] + g_.degree[v] < k_) return true;
    ++epoch_;
    unsigned k = 0;
    auto significant = [&](uint32_t n) {
      if (mark_[n] == epoch_) return false;
      mark_[n] = epoch_;
      if (pre(n) || g_.degree[n] >= k_) ++k;
      return k >= k_;
    };
    return !anyAdjacent(u, significant) && !anyAdjacent(v, significant);
  }
  /// Still in the graph (not on the select stack, not merged away).
  bool live(uint32_t n) const { return state_[n] != NodeState::Select && state_[n] != NodeState::Coalesced; }

  void coalesce() {
    uint32_t mi = moveWl_.back();
    moveWl_.pop_back();
    uint32_t x = alias(g_.moves[mi].dst), y = alias(g_.moves[mi].src);
    uint32_t u = x, v = y;
    if (pre(y)) std::swap(u, v);
    if (u == v) {
      retireMove(mi, MoveState::Coalesced);
      addWorkList(u);
    } else if (pre(v) || g_.interferes(u, v) || (!pre(u) && noSpill(u) != noSpill(v))) {
      // Spill temps only join registers or other temps, so that a
      // long-lived value never inherits a temp's infinite spill cost.
      retireMove(mi, MoveState::Constrained);
      addWorkList(u);
      addWorkList(v);
    } else if (pre(u) ? george(u, v) : briggs(u, v)) {
      retireMove(mi, MoveState::Coalesced);
      combine(u, v);
      addWorkList(u);
    } else {
      mstate_[mi] = MoveState::Active;
    }
  }

  void combine(uint32_t u, uint32_t v) {
    state_[v] = NodeState::Coalesced;
    alias_[v] = u;
    auto &ml = g_.moveList[u];
    ml.insert(ml.end(), g_.moveList[v].begin(), g_.moveList[v].end());
    auto &wl = moves_[u];
    wl.insert(wl.end(), moves_[v].begin(), moves_[v].end());
    enableMoves(v);
    liveMoves_[u] += liveMoves_[v];
    g_.weight[u] += g_.weight[v];
    forAdjacent(v, [&](uint32_t t) {
      if (g_.addEdge(t, u)) {
        if (!pre(t)) extra_[t].push_back(u);
        if (!pre(u)) extra_[u].push_back(t);
      }
      decrementDegree(t);
    });
    if (!pre(u) && g_.degree[u] >= k_ && state_[u] == NodeState::Freeze) setState(u, NodeState::Spill);
  }

  void freezeMoves(uint32_t u) {
    for (uint32_t mi : liveMoveList(u)) {
      if (!moveLive(mi)) continue;
      uint32_t x = alias(g_.moves[mi].dst), y = alias(g_.moves[mi].src);
      uint32_t v = y == alias(u) ? x : y;
      retireMove(mi, MoveState::Frozen);
      if (!pre(v) && state_[v] == NodeState::Freeze && g_.degree[v] < k_ && !moveRelated(v))
        setState(v, NodeState::Simplify);
    }
  }

  void freeze() {
    uint32_t u = freezeWl_.back();
    freezeWl_.pop_back();
    setState(u, NodeState::Simplify);
    freezeMoves(u);
  }

  void selectSpill() {
    // Cheapest by (uses + defs) * 10^depth / degree, spill temps last. A
    // lazy min-heap: a node's key is its cost when pushed; its degree only
    // falls, so its cost only rises: re-key entries that became stale.
    for (;;) {
      auto [key, n] = spillHeap_.top();
      spillHeap_.pop();
      if (state_[n] != NodeState::Spill) continue;
      double now = spillKey(n);
      if (now > key && !spillHeap_.empty() && now > spillHeap_.top().first) {
        spillHeap_.push({now, n});
        continue;
      }
      setState(n, NodeState::Simplify);
      freezeMoves(n);
      return;
    }
  }
  double spillKey(uint32_t n) const { return noSpill(n) ? 1e300 : spillCost(n); }

  /// (uses + defs) weighted 10^loopDepth, divided by the current degree.
  double spillCost(uint32_t n) const {
    return g_.weight[n] / static_cast<double>(std::max(g_.degree[n], 1u));
  }

  int pickColour(uint32_t n, PRegMask ok) {
    for (uint32_t mi : g_.moveList[n]) {
      uint32_t o = alias(g_.moves[mi].dst) == n ? alias(g_.moves[mi].src) : alias(g_.moves[mi].dst);
      int c = colour_[o];
      if ((state_[o] == NodeState::Coloured || pre(o)) && c >= 0 && (ok >> c & 1)) return c;
    }
    // Caller-saved first (free at calls), then callee-saved already pushed,
    // then a new callee-saved register, LR last.
    static constexpr int kOrder[] = {0, 1, 2, 3, 12, 4, 5, 6, 7, 8, 9, 10, 11, 14};
    constexpr PRegMask kCaller = 0x100f;
    for (PRegMask pass : {ok & kCaller, ok & usedCallee_, ok})
      for (int c : kOrder)
        if (pass >> c & 1) return c;
    return -1;
  }

  Colouring assignColours() {
    Colouring out;
    while (!selectStack_.empty()) {
      uint32_t n = selectStack_.back();
      selectStack_.pop_back();
      PRegMask ok = poolMask_;
      g_.forEachNeighbour(n, [&](uint32_t w) {
        uint32_t m = alias(w);
        if ((state_[m] == NodeState::Coloured || pre(m)) && colour_[m] >= 0) ok &= ~(1u << colour_[m]);
      });
      int c = ok ? pickColour(n, ok) : -1;
      if (c < 0) {
        state_[n] = NodeState::Spilled;
        out.spilled.push_back(n);
      } else {
        state_[n] = NodeState::Coloured;
        colour_[n] = c;
        if (c >= 4 && c <= 11) usedCallee_ |= 1u << c;
      }
    }
    for (uint32_t n = 0; n < g_.numNodes; ++n)
      if (state_[n] == NodeState::Coalesced) {
        uint32_t a = alias(n);
        colour_[n] = state_[a] == NodeState::Coloured || pre(a) ? colour_[a] : -1;
      }
    out.colour = std::move(colour_);
    return out;
  }

  Interference &g_;
  const WorkFunction &w_;
  unsigned k_;
  std::vector<NodeState> state_;
  std::vector<uint32_t> alias_;
  std::vector<int> colour_;
  std::vector<MoveState> mstate_;
  std::vector<uint32_t> mark_;
  std::vector<uint32_t> nbr_, nbrStart_, nbrLen_, liveMoves_;
  std::vector<std::vector<uint32_t>> extra_;
  std::vector<std::vector<uint32_t>> moves_;  ///< per node: its moves, retired ones dropped lazily
  uint32_t epoch_ = 0;
  PRegMask poolMask_ = 0, usedCallee_ = 0;
  std::vector<uint32_t> simplifyWl_, freezeWl_, moveWl_, selectStack_;
  using Keyed = std::pair<double, uint32_t>;
  std::priority_queue<Keyed, std::vector<Keyed>, std::greater<Keyed>> spillHeap_;
};

}  // namespace

Colouring colourGraph(Interference &g, const WorkFunction &w, const arm::Pool &pool) {
  return Irc(g, w, pool).run();
}

}  // namespace vcr::alloc
