// Iterated register coalescing (George & Appel 1996): simplify, coalesce, freeze, spill, select.
#include "core/alloc/spill_queue.h"
#include "core/alloc/work.h"

#include <algorithm>
#include <bit>
#include <functional>

namespace vcr::alloc {

namespace {

enum class NodeState : uint8_t {
  Precoloured, Absent, Simplify, Freeze, Spill, Spilled, Coalesced, Coloured, Select
};
enum class MoveState : uint8_t { Worklist, Active, Coalesced, Constrained, Frozen };

/// One colouring attempt. Worklists are vectors with lazy deletion: a
/// node's state is authoritative, stale entries are skipped when popped.
/// Coalescing extends the bit rows of the graph `g` in place, noting each
/// bit it sets in a trail, and clears them again at the end, so `g` is as
/// built when run returns; the lists, degrees and weights are copies. One
/// object per thread is reused for every attempt, so its buffers keep
/// their storage.
class Irc {
public:
  Colouring run(Interference &g, const WorkFunction &w, const ClassRegs &cr) {
    gp_ = &g;
    wp_ = &w;
    k_ = cr.size();
    state_.assign(g.numNodes, NodeState::Absent);
    alias_.resize(g.numNodes);
    colour_.assign(g.numNodes, -1);
    mstate_.assign(g.moves.size(), MoveState::Worklist);
    mark_.assign(g.numNodes, 0);
    epoch_ = 0;
    active_ = 0;
    usedCallee_ = 0;
    poolMask_ = cr.pool;
    caller_ = cr.caller;
    callee_ = cr.callee;
    simplifyWl_.clear();
    freezeWl_.clear();
    moveWl_.clear();
    selectStack_.clear();
    spillQ_.clear();
    makeWorklists();
    for (;;) {
      if (nonEmpty(simplifyWl_, NodeState::Simplify)) simplify();
      else if (nextMove()) coalesce();
      else if (nonEmpty(freezeWl_, NodeState::Freeze)) freeze();
      else if (spillNonEmpty()) selectSpill();
      else break;
    }
    Colouring out = assignColours();
    // The graph's rows as they were built: clear the bits merges set.
    out.rowBitsAdded = static_cast<uint32_t>(trail_.size());
    for (const auto &[word, bit] : trail_) *word &= ~bit;
    trail_.clear();
    return out;
  }

private:
  bool pre(uint32_t n) const { return Interference::precoloured(n); }
  bool global(uint32_t n) const { return !pre(n) && gp_->globalOf[n] != kNoNode; }
  uint64_t *row(uint32_t n) { return gp_->globalRows.data() + size_t(gp_->globalOf[n]) * gp_->nodeWords; }
  uint64_t *globalNbrs(uint32_t n) { return gp_->localGlobal.data() + size_t(n) * gp_->globalWords; }
  /// Summaries (interference.h) of a global node's row and of a local
  /// node's global-neighbour row.
  uint64_t *rowSum(uint32_t n) { return gp_->globalRowSum.data() + size_t(gp_->globalOf[n]) * gp_->nodeSumWords; }
  uint64_t *globalNbrsSum(uint32_t n) { return gp_->localGlobalSum.data() + size_t(n) * gp_->globalSumWords; }
  /// Set bit i of a row (or summary) of the graph for a merge, noting it
  /// in the trail when it was clear (run clears them again at the end).
  void setRowBit(uint64_t *row, uint32_t i) {
    uint64_t &word = row[i >> 6];
    const uint64_t bit = 1ull << (i & 63);
    if (word & bit) return;
    word |= bit;
    trail_.push_back({&word, bit});
  }
  bool noSpill(uint32_t n) const {
    if (pre(n)) return false;
    const uint32_t v = wp_->vregOfNode(n);
    return v < wp_->noSpill.size() && wp_->noSpill[v];
  }

  /// Calls `stop(m)` for each set bit m of a row (mapped by `map`) that is
  /// still in the graph (`alive`, in the row's index space), until it
  /// returns true; returns whether it did. The rows keep the nodes that
  /// left the graph (the select phase reads them): a word ANDed with
  /// `alive` visits only the others, at no cost per departed node.
  template <class Map, class F>
  bool anyBit(const uint64_t *row, const uint64_t *sum, uint32_t sumWords, const uint64_t *alive, Map &&map,
              F &&stop) {
    for (uint32_t s = 0; s < sumWords; ++s)
      for (uint64_t marked = sum[s]; marked; marked &= marked - 1) {
        const uint32_t w = s * 64 + static_cast<uint32_t>(__builtin_ctzll(marked));
        for (uint64_t x = row[w] & alive[w]; x; x &= x - 1)
          if (stop(map(w * 64 + static_cast<uint32_t>(__builtin_ctzll(x))))) return true;
      }
    return false;
  }
  /// Node n leaves the graph (simplified or merged away).
  void leave(uint32_t n, NodeState s) {
    state_[n] = s;
    markSignificant(n, false);
    alive_[n >> 6] &= ~(1ull << (n & 63));
    if (global(n)) {
      const uint32_t i = gp_->globalOf[n];
      aliveGlobal_[i >> 6] &= ~(1ull << (i & 63));
    }
  }
  /// Calls `stop(m)` for the neighbours m of n still in the graph until it
  /// returns true; returns whether it did. Neighbours that left the graph
  /// (they never come back) are dropped from n's lists on the way, keeping
  /// the order of the others.
  template <class F> bool anyAdjacent(uint32_t n, F &&stop) {
    for (PRegMask r = pre_[n]; r; r &= r - 1)
      if (stop(static_cast<uint32_t>(__builtin_ctz(r)))) return true;
    return anyVRegAdjacent(n, stop);
  }
  /// anyAdjacent without the precoloured neighbours.
  template <class F> bool anyVRegAdjacent(uint32_t n, F &&stop) {
    if (global(n))
      return anyBit(row(n), rowSum(n), gp_->nodeSumWords, alive_.data(), [](uint32_t m) { return m; }, stop);
    if (anyBit(globalNbrs(n), globalNbrsSum(n), gp_->globalSumWords, aliveGlobal_.data(),
               [&](uint32_t i) { return gp_->globals[i]; }, stop))
      return true;
    return forLocalAdjacent(n, stop);
  }
  /// The local-list part of anyAdjacent (a local node's local neighbours).
  template <class F> bool forLocalAdjacent(uint32_t n, F &&stop) {
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
    if (scan(nbr_.data() + gp_->localStart[n], nbrLen_[n])) return true;
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
    active_ -= mstate_[mi] == MoveState::Active;
    if (moveLive(mi)) {
      --liveMoves_[alias(gp_->moves[mi].dst)];
      --liveMoves_[alias(gp_->moves[mi].src)];
    }
    mstate_[mi] = s;
  }
  bool nonEmpty(std::vector<uint32_t> &wl, NodeState s) {
    while (!wl.empty() && state_[wl.back()] != s) wl.pop_back();
    return !wl.empty();
  }
  /// A spill candidate in one word: its cost as the bits of a float (for
  /// non-negative floats the bit patterns order like the values) above its
  /// node number, so that the heap compares integers: cost, then node.
  /// (The heap's comparisons were the hottest line of IRC on large
  /// functions; alloc_bench.)
  using Keyed = uint64_t;
  static uint32_t costBits(double cost) { return std::bit_cast<uint32_t>(static_cast<float>(cost)); }
  static Keyed keyed(double cost, uint32_t n) { return uint64_t(costBits(cost)) << 32 | n; }
  static uint32_t keyCost(Keyed k) { return static_cast<uint32_t>(k >> 32); }
  static uint32_t keyNode(Keyed k) { return static_cast<uint32_t>(k); }
  bool spillNonEmpty() {
    while (!spillQ_.empty() && state_[keyNode(spillQ_.top())] != NodeState::Spill) spillQ_.pop();
    return !spillQ_.empty();
  }
  bool nextMove() {
    while (!moveWl_.empty() && mstate_[moveWl_.back()] != MoveState::Worklist) moveWl_.pop_back();
    return !moveWl_.empty();
  }
  void setState(uint32_t n, NodeState s) {
    state_[n] = s;
    if (s == NodeState::Simplify) simplifyWl_.push_back(n);
    else if (s == NodeState::Freeze) freezeWl_.push_back(n);
    else if (s == NodeState::Spill) spillQ_.push(keyed(spillKey(n), n));
  }
  /// The node a coalesced node was merged into, transitively; the chain
  /// is shortened on the way (path halving), as in union-find.
  uint32_t alias(uint32_t n) {
    while (state_[n] == NodeState::Coalesced) {
      const uint32_t up = alias_[n];
      if (state_[up] == NodeState::Coalesced) alias_[n] = alias_[up];
      n = up;
    }
    return n;
  }

  /// Working copies of the graph (rows and lists extended by coalescing,
  /// lists pruned as nodes leave the graph) and the live-move counts.
  void copyGraph() {
    const uint32_t nn = gp_->numNodes;
    // The bit rows are the graph's own (merges extend them and run
    // restores them): a copy of the rows' marked words was more than a
    // tenth of IRC's time at 10k instructions (alloc_bench).
    const uint32_t nw = gp_->nodeWords, gw = gp_->globalWords;
    pre_ = gp_->preMask;
    preRows_.assign(size_t(kVRegBase) * nw, 0);
    preRowsG_.assign(size_t(kVRegBase) * gw, 0);
    for (uint32_t n = kVRegBase; n < nn; ++n)
      for (PRegMask r = pre_[n]; r; r &= r - 1) notePre(n, static_cast<uint32_t>(__builtin_ctz(r)));
    degree_ = gp_->degree;
    weight_ = gp_->weight;
    nbr_ = gp_->localAdj;
    nbrLen_.resize(nn);
    for (uint32_t n = 0; n < nn; ++n) nbrLen_[n] = gp_->localStart[n + 1] - gp_->localStart[n];
    if (extra_.size() < nn) extra_.resize(nn);
    if (extraAll_.size() < nn) extraAll_.resize(nn);
    // Only the lists the last attempt filled are not empty (a clear of
    // every node's two lists touched two vector headers per node).
    for (uint32_t n : extraNodes_) {
      extra_[n].clear();
      extraAll_[n].clear();
    }
    extraNodes_.clear();
    mv_ = gp_->moveIdx;
    mvLen_.resize(nn);
    for (uint32_t n = 0; n < nn; ++n) mvLen_[n] = gp_->moveStart[n + 1] - gp_->moveStart[n];
    next_.assign(nn, kNoNode);
    nextMv_.assign(nn, kNoNode);
    tail_.resize(nn);
    tailMv_.resize(nn);
    for (uint32_t n = 0; n < nn; ++n) tail_[n] = tailMv_[n] = n;
    liveMoves_.assign(nn, 0);
    mayHaveActive_.assign(gp_->nodeWords, 0);
    for (const GraphMove &m : gp_->moves) {
      ++liveMoves_[m.dst];
      ++liveMoves_[m.src];
    }
  }

  void makeWorklists() {
    copyGraph();
    alive_.assign(gp_->nodeWords, ~0ull);
    aliveGlobal_.assign(gp_->globalWords, ~0ull);
    spillQ_.beginBulk();  // the initial candidates are heapified at once
    for (uint32_t n = 0; n < gp_->numNodes; ++n) {
      alias_[n] = n;
      if (pre(n)) {
        state_[n] = NodeState::Precoloured;
        colour_[n] = static_cast<int>(n);
      } else if (!gp_->occurs.test(n)) {
        state_[n] = NodeState::Absent;
      } else if (degree_[n] >= k_) {
        setState(n, NodeState::Spill);
      } else if (moveRelated(n)) {
        setState(n, NodeState::Freeze);
      } else {
        setState(n, NodeState::Simplify);
      }
    }
    sig_.assign(gp_->nodeWords, 0);
    sigG_.assign(gp_->globalWords, 0);
    for (uint32_t n = kVRegBase; n < gp_->numNodes; ++n)
      if (state_[n] != NodeState::Absent && degree_[n] >= k_) markSignificant(n, true);
    // Coalescing order: the heaviest move first (10^loop depth), and among
    // equals the one whose least flexible endpoint has the fewest moves
    // (a value with one move partner has no other chance to lose its move;
    // one with several may still coalesce with another). moveWl_ is popped
    // from the back, so it holds the order reversed.
    const uint32_t nm = static_cast<uint32_t>(gp_->moves.size());
    auto partners = [&](uint32_t n) {
      return pre(n) ? UINT32_MAX : gp_->moveStart[n + 1] - gp_->moveStart[n];
    };
    // One integer per move, compared in one instruction pair: the weight's
    // bits (non-negative floats order like their bit patterns), then the
    // complements of the partners and of the index (both descending).
    moveKey_.resize(nm);
    for (uint32_t mi = 0; mi < nm; ++mi) {
      const GraphMove &m = gp_->moves[mi];
      const uint32_t partnersMin = std::min(partners(m.dst), partners(m.src));
      moveKey_[mi] = MoveKey(std::bit_cast<uint32_t>(m.weight)) << 64 | MoveKey(~partnersMin) << 32 | MoveKey(~mi);
    }
    std::sort(moveKey_.begin(), moveKey_.end());
    for (const MoveKey &k : moveKey_) moveWl_.push_back(~static_cast<uint32_t>(k));
    spillQ_.endBulk();
  }

  /// Calls fn(mi) for the live moves of n's coalesced group (n and the
  /// nodes merged into it), dropping retired moves from the lists. The
  /// walk follows the group's move chain, from which a member is unlinked
  /// once its list is empty (moves only ever retire): a register's group
  /// gathers hundreds of values whose moves are long settled, and the
  /// walk over them all was the hottest loop of IRC at 10k instructions
  /// (alloc_bench). The order of the moves is the group's order still.
  template <class F> void forLiveMoves(uint32_t n, F &&fn) {
    for (uint32_t prev = kNoNode, m = n; m != kNoNode;) {
      const uint32_t after = nextMv_[m];
      uint32_t *first = mv_.data() + gp_->moveStart[m];
      uint32_t keep = 0;
      for (uint32_t i = 0; i < mvLen_[m]; ++i)
        if (moveLive(first[i])) first[keep++] = first[i];
      mvLen_[m] = keep;
      if (keep == 0 && m != n) {  // unlink (the group's head stays)
        nextMv_[prev] = after;
        if (tailMv_[n] == m) tailMv_[n] = prev;
      } else {
        prev = m;
      }
      for (uint32_t i = 0; i < keep; ++i) fn(first[i]);
      m = after;
    }
  }

  /// Active moves of n's group back to the worklist.
  void enableMoves(uint32_t n) {
    if (!testBit(mayHaveActive_.data(), n)) return;  // no move list to scan
    mayHaveActive_[n >> 6] &= ~(1ull << (n & 63));
    forLiveMoves(n, [&](uint32_t mi) {
      if (mstate_[mi] == MoveState::Active) {
        mstate_[mi] = MoveState::Worklist;
        --active_;
        moveWl_.push_back(mi);
      }
    });
  }

  /// enableMoves for each neighbour of m, in anyAdjacent's order. A global
  /// node's row is read a word at a time against the groups that may have
  /// an Active move (enableMoves does nothing for the others): a value
  /// live across many blocks has hundreds of neighbours, few with one.
  void enableAdjacentMoves(uint32_t m) {
    if (!global(m)) return forAdjacent(m, [&](uint32_t a) { enableMoves(a); });
    for (PRegMask r = pre_[m]; r; r &= r - 1) enableMoves(static_cast<uint32_t>(__builtin_ctz(r)));
    const uint64_t *rw = row(m), *sum = rowSum(m);
    for (uint32_t s = 0; s < gp_->nodeSumWords; ++s)
      for (uint64_t marked = sum[s]; marked; marked &= marked - 1) {
        const uint32_t w = s * 64 + static_cast<uint32_t>(__builtin_ctzll(marked));
        // (enableMoves clears only its own node's bit: one read per word.)
        for (uint64_t x = rw[w] & alive_[w] & mayHaveActive_[w]; x; x &= x - 1)
          enableMoves(w * 64 + static_cast<uint32_t>(__builtin_ctzll(x)));
      }
  }

  void decrementDegree(uint32_t m) {
    if (pre(m) || degree_[m]-- != k_) return;
    // m's degree just fell below K.
    markSignificant(m, false);
    if (state_[m] != NodeState::Spill) return;
    if (active_ != 0) {  // else there is nothing to enable: skip the scan
      enableMoves(m);
      enableAdjacentMoves(m);
    }
    setState(m, moveRelated(m) ? NodeState::Freeze : NodeState::Simplify);
  }

  /// Remove a node of degree < K and lower its neighbours' degrees (the
  /// hottest loop of IRC on large functions: one visit per edge; the
  /// registers' degrees never change, so they are not visited).
  void simplify() {
    uint32_t n = simplifyWl_.back();
    simplifyWl_.pop_back();
    leave(n, NodeState::Select);
    selectStack_.push_back(n);
    anyVRegAdjacent(n, [&](uint32_t m) {
      decrementDegree(m);
      return false;
    });
  }

  void addWorkList(uint32_t u) {
    if (!pre(u) && state_[u] == NodeState::Freeze && degree_[u] < k_ && !moveRelated(u))
      setState(u, NodeState::Simplify);
  }
  /// Whether u and v interfere, in the working copies (u, v in the graph).
  bool interferes(uint32_t u, uint32_t v) {
    if (u == v || (pre(u) && pre(v))) return false;
    if (pre(u)) return pre_[v] >> u & 1;
    if (pre(v)) return pre_[u] >> v & 1;
    if (global(u)) return testBit(row(u), v);
    if (global(v)) return testBit(row(v), u);
    return anyAdjacent(u, [&](uint32_t m) { return m == v; });
  }
  bool georgeOk(uint32_t t, uint32_t r) {
    return degree_[t] < k_ || pre(t) || interferes(t, r);
  }
  /// George, for a register u: every significant neighbour of v already
  /// interferes with u. A vreg neighbour still in the graph is significant
  /// when it is in `sig_` (`sigG_` by global index), and interferes with u
  /// when it is in u's row of `preRows_` (`preRowsG_`): v's bit rows are
  /// tested a word at a time, and only a local node's local list one by
  /// one. (Precoloured neighbours never fail the test.) A value live
  /// across many blocks has hundreds of neighbours, and every argument
  /// and result move of a call asks this (alloc_bench, 10k instructions).
  bool george(uint32_t u, uint32_t v) {
    if (global(v)) {
      const uint64_t *rv = row(v), *su = rowSum(v), *pr = preRows_.data() + size_t(u) * gp_->nodeWords;
      for (uint32_t s = 0; s < gp_->nodeSumWords; ++s)
        for (uint64_t m = su[s]; m; m &= m - 1) {
          const uint32_t w = s * 64 + static_cast<uint32_t>(__builtin_ctzll(m));
          if (rv[w] & sig_[w] & ~pr[w]) return false;
        }
      return true;
    }
    const uint64_t *gv = globalNbrs(v), *gs = globalNbrsSum(v), *pr = preRowsG_.data() + size_t(u) * gp_->globalWords;
    for (uint32_t s = 0; s < gp_->globalSumWords; ++s)
      for (uint64_t m = gs[s]; m; m &= m - 1) {
        const uint32_t w = s * 64 + static_cast<uint32_t>(__builtin_ctzll(m));
        if (gv[w] & sigG_[w] & ~pr[w]) return false;
      }
    return !forLocalAdjacent(v, [&](uint32_t t) { return !georgeOk(t, u); });
  }
  /// Record that node n interferes with register r in the rows George reads.
  void notePre(uint32_t n, uint32_t r) {
    setBit(preRows_.data() + size_t(r) * gp_->nodeWords, n);
    if (global(n)) setBit(preRowsG_.data() + size_t(r) * gp_->globalWords, gp_->globalOf[n]);
  }
  /// Briggs: the merged node has fewer than K significant neighbours.
  /// When u is a global node its significant neighbours are counted a word
  /// at a time (its row AND the significant set), and only v's neighbours
  /// outside u's row one by one. (coalesce makes u the global one when
  /// only one is.)
  bool briggs(uint32_t u, uint32_t v) {
    if (degree_[u] + degree_[v] < k_) return true;
    if (global(u)) {
      unsigned k = popcount32(pre_[u] | pre_[v]);
      const uint64_t *ru = row(u), *su = rowSum(u);
      const uint32_t sw = gp_->nodeSumWords;
      // Over the words either summary marks (a word neither marks is zero in both).
      auto count = [&](const uint64_t *rv, const uint64_t *sv) {
        for (uint32_t s = 0; s < sw && k < k_; ++s)
          for (uint64_t m = su[s] | (sv ? sv[s] : 0); m && k < k_; m &= m - 1) {
            const uint32_t w = s * 64 + static_cast<uint32_t>(__builtin_ctzll(m));
            k += popcount64((ru[w] | (rv ? rv[w] : 0)) & sig_[w]);
          }
      };
      if (global(v)) {
        count(row(v), rowSum(v));
        return k < k_;
      }
      count(nullptr, nullptr);
      auto outside = [&](uint32_t m) { return testBit(sig_.data(), m) && !testBit(ru, m); };
      const uint64_t *gv = globalNbrs(v), *gs = globalNbrsSum(v);
      for (uint32_t s = 0; s < gp_->globalSumWords && k < k_; ++s)
        for (uint64_t m = gs[s]; m && k < k_; m &= m - 1) {
          const uint32_t w = s * 64 + static_cast<uint32_t>(__builtin_ctzll(m));
          for (uint64_t x = gv[w] & sigG_[w]; x && k < k_; x &= x - 1)
            k += !testBit(ru, gp_->globals[w * 64 + static_cast<uint32_t>(__builtin_ctzll(x))]);
        }
      if (k < k_)
        forLocalAdjacent(v, [&](uint32_t m) {
          k += outside(m);
          return k >= k_;
        });
      return k < k_;
    }
    ++epoch_;
    unsigned k = 0;
    auto significant = [&](uint32_t n) {
      if (mark_[n] == epoch_) return false;
      mark_[n] = epoch_;
      if (pre(n) || degree_[n] >= k_) ++k;
      return k >= k_;
    };
    return !anyAdjacent(u, significant) && !anyAdjacent(v, significant);
  }
  /// Still in the graph (not on the select stack, not merged away).
  bool live(uint32_t n) const { return state_[n] != NodeState::Select && state_[n] != NodeState::Coalesced; }

  void coalesce() {
    uint32_t mi = moveWl_.back();
    moveWl_.pop_back();
    uint32_t x = alias(gp_->moves[mi].dst), y = alias(gp_->moves[mi].src);
    uint32_t u = x, v = y;
    if (pre(y)) std::swap(u, v);
    // A value live across blocks absorbs a block-local one, not the reverse
    // (its row already holds most of the merged neighbourhood).
    if (!pre(u) && !pre(v) && global(v) && !global(u)) std::swap(u, v);
    if (u == v) {
      retireMove(mi, MoveState::Coalesced);
      addWorkList(u);
    } else if (pre(v) || interferes(u, v) || (!pre(u) && noSpill(u) != noSpill(v))) {
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
      setBit(mayHaveActive_.data(), u);
      setBit(mayHaveActive_.data(), v);
      ++active_;
    }
  }

  /// Add the edge {t, u} (t in the graph, u the surviving node of a merge);
  /// `known` says whether t is already u's neighbour.
  void addEdge(uint32_t t, uint32_t u, bool known) {
    if (known || t == u || (pre(t) && pre(u))) return;
    if (pre(t) || pre(u)) {
      uint32_t r = pre(t) ? t : u, n = pre(t) ? u : t;
      pre_[n] |= 1u << r;
      notePre(n, r);
      raiseDegree(n);
      return;
    }
    if (global(u)) setRowBit(row(u), t), setRowBit(rowSum(u), t >> 6);
    else if (global(t)) setRowBit(globalNbrs(u), gp_->globalOf[t]), setRowBit(globalNbrsSum(u), gp_->globalOf[t] >> 6);
    else {
      addExtra(u, t);
    }
    if (global(t)) setRowBit(row(t), u), setRowBit(rowSum(t), u >> 6);
    else if (global(u)) setRowBit(globalNbrs(t), gp_->globalOf[u]), setRowBit(globalNbrsSum(t), gp_->globalOf[u] >> 6);
    else {
      addExtra(t, u);
    }
    raiseDegree(t);
    raiseDegree(u);
  }
  /// A local edge {n, t} made by a merge, in n's lists.
  void addExtra(uint32_t n, uint32_t t) {
    if (extraAll_[n].empty()) extraNodes_.push_back(n);
    extra_[n].push_back(t);
    extraAll_[n].push_back(t);
  }
  void raiseDegree(uint32_t n) {
    if (++degree_[n] == k_) markSignificant(n, true);
  }
  /// Keep `sig_` / `sigG_` equal to the set of nodes in the graph (not
  /// precoloured) whose degree is at least K.
  void markSignificant(uint32_t n, bool on) {
    if (pre(n)) return;
    const uint64_t bit = 1ull << (n & 63);
    sig_[n >> 6] = on ? sig_[n >> 6] | bit : sig_[n >> 6] & ~bit;
    if (global(n)) {
      const uint32_t i = gp_->globalOf[n];
      const uint64_t gbit = 1ull << (i & 63);
      sigG_[i >> 6] = on ? sigG_[i >> 6] | gbit : sigG_[i >> 6] & ~gbit;
    }
  }

  void combine(uint32_t u, uint32_t v) {
    leave(v, NodeState::Coalesced);
    alias_[v] = u;
    next_[tail_[u]] = v;
    tail_[u] = tail_[v];
    enableMoves(v);
    // v's move chain joins u's after enableMoves(v), which may unlink
    // members of it: forLiveMoves keeps the tail of the chain it walks.
    nextMv_[tailMv_[u]] = v;
    tailMv_[u] = tailMv_[v];
    liveMoves_[u] += liveMoves_[v];
    if (testBit(mayHaveActive_.data(), v)) setBit(mayHaveActive_.data(), u);
    weight_[u] += weight_[v];
    // u's current neighbours, to add only the new edges.
    const bool localU = !pre(u) && !global(u);
    if (localU) {
      ++epoch_;
      anyAdjacent(u, [&](uint32_t m) {
        mark_[m] = epoch_;
        return false;
      });
    }
    forAdjacent(v, [&](uint32_t t) {
      bool known;
      if (localU && !pre(t) && !global(t)) {
        known = mark_[t] == epoch_;
        mark_[t] = epoch_;
      } else {
        known = interferes(t, u);
      }
      addEdge(t, u, known);
      decrementDegree(t);
    });
    if (!pre(u) && degree_[u] >= k_ && state_[u] == NodeState::Freeze) setState(u, NodeState::Spill);
  }

  void freezeMoves(uint32_t u) {
    forLiveMoves(u, [&](uint32_t mi) {
      if (!moveLive(mi)) return;
      uint32_t x = alias(gp_->moves[mi].dst), y = alias(gp_->moves[mi].src);
      uint32_t v = y == alias(u) ? x : y;
      retireMove(mi, MoveState::Frozen);
      if (!pre(v) && state_[v] == NodeState::Freeze && degree_[v] < k_ && !moveRelated(v))
        setState(v, NodeState::Simplify);
    });
  }

  void freeze() {
    uint32_t u = freezeWl_.back();
    freezeWl_.pop_back();
    setState(u, NodeState::Simplify);
    freezeMoves(u);
  }

  void selectSpill() {
    // Cheapest by (uses + defs) * 10^depth / degree^2, spill temps last. A
    // lazy min-queue: a node's key is its cost when pushed; its degree only
    // falls, so its cost only rises: re-key entries that became stale.
    for (;;) {
      const Keyed k = spillQ_.top();
      const uint32_t n = keyNode(k);
      if (state_[n] != NodeState::Spill) {
        spillQ_.pop();
        continue;
      }
      const uint32_t now = costBits(spillKey(n));
      if (now > keyCost(k) && spillQ_.size() > 1 && now > keyCost(spillQ_.second())) {
        spillQ_.replaceTop(uint64_t(now) << 32 | n);
        continue;
      }
      spillQ_.pop();
      setState(n, NodeState::Simplify);
      freezeMoves(n);
      return;
    }
  }
  double spillKey(uint32_t n) const { return noSpill(n) ? 1e300 : spillCost(n); }

  /// (uses + defs) weighted 10^loopDepth, divided by the square of the
  /// current degree (Bernstein et al. 1989): against cost / degree it
  /// spills a value that blocks many others sooner than a cheap local one.
  /// Measured on vcr-ra's cost per function (docs/optimal.md, session 13):
  /// the corpus 5 functions cheaper and 1 dearer, generated modules
  /// 124 cheaper and 54 dearer; the geometric mean against the optimum
  /// 1.102 -> 1.090.
  double spillCost(uint32_t n) const {
    const double d = static_cast<double>(std::max(degree_[n], 1u));
    return weight_[n] / (d * d);
  }

  int pickColour(uint32_t n, PRegMask ok) {
    // A move partner's colour first (all moves of n's group, in order).
    for (uint32_t m = n; m != kNoNode; m = next_[m])
      for (uint32_t i = gp_->moveStart[m]; i < gp_->moveStart[m + 1]; ++i) {
        const GraphMove &mv = gp_->moves[gp_->moveIdx[i]];
        uint32_t o = alias(mv.dst) == n ? alias(mv.src) : alias(mv.dst);
        int c = colour_[o];
        if ((state_[o] == NodeState::Coloured || pre(o)) && c >= 0 && (ok >> c & 1)) return c;
      }
    return pickFreeColour(ok, usedCallee_, caller_);
  }

  /// Record that a's coalesced group holds colour c in the colour planes.
  void paint(uint32_t a, int c) {
    uint64_t *plane = planes_.data() + size_t(c) * gp_->nodeWords;
    uint64_t *planeG = planesG_.data() + size_t(c) * gp_->globalWords;
    for (uint32_t m = a; m != kNoNode; m = next_[m]) {
      setBit(plane, m);
      if (global(m)) setBit(planeG, gp_->globalOf[m]);
    }
  }

  /// The colours of n's neighbours. A bit row meets a colour's plane (the
  /// nodes whose group holds it) in a few word ANDs, instead of one visit
  /// per neighbour; only a local node's local lists are visited.
  PRegMask takenColours(uint32_t n) {
    PRegMask taken = pre_[n];  // a precoloured neighbour's colour is its register
    const bool g = global(n);
    const uint64_t *r = g ? row(n) : globalNbrs(n);
    const uint64_t *sum = g ? rowSum(n) : globalNbrsSum(n);
    const uint32_t words = g ? gp_->nodeWords : gp_->globalWords;
    const uint32_t sumWords = g ? gp_->nodeSumWords : gp_->globalSumWords;
    const uint64_t *planes = g ? planes_.data() : planesG_.data();
    // Word by word over the marked words, each against the colours not yet
    // seen taken, until every colour is.
    PRegMask left = poolMask_ & ~taken;
    for (uint32_t s = 0; s < sumWords && left; ++s)
      for (uint64_t m = sum[s]; m && left; m &= m - 1) {
        const uint32_t w = s * 64 + static_cast<uint32_t>(__builtin_ctzll(m));
        const uint64_t x = r[w];
        if (!x) continue;
        for (PRegMask l = left; l; l &= l - 1) {
          const unsigned c = static_cast<unsigned>(__builtin_ctz(l));
          if (x & planes[size_t(c) * words + w]) left &= ~(1u << c);
        }
      }
    taken |= poolMask_ & ~taken & ~left;
    if (!g) {
      auto visit = [&](uint32_t w) {
        uint32_t m = alias(w);
        if ((state_[m] == NodeState::Coloured || pre(m)) && colour_[m] >= 0) taken |= 1u << colour_[m];
      };
      for (uint32_t i = gp_->localStart[n]; i < gp_->localStart[n + 1]; ++i) visit(gp_->localAdj[i]);
      for (uint32_t m : extraAll_[n]) visit(m);
    }
    return taken;
  }

  Colouring assignColours() {
    Colouring out;
    planes_.assign(size_t(kVRegBase) * gp_->nodeWords, 0);
    planesG_.assign(size_t(kVRegBase) * gp_->globalWords, 0);
    for (uint32_t p = 0; p < kVRegBase; ++p)
      if (poolMask_ >> p & 1) paint(p, static_cast<int>(p));  // groups merged into a register
    while (!selectStack_.empty()) {
      uint32_t n = selectStack_.back();
      selectStack_.pop_back();
      PRegMask ok = poolMask_ & ~takenColours(n);
      int c = ok ? pickColour(n, ok) : -1;
      if (c < 0) {
        state_[n] = NodeState::Spilled;
        out.spilled.push_back(n);
      } else {
        state_[n] = NodeState::Coloured;
        colour_[n] = c;
        paint(n, c);
        if (callee_ >> c & 1) usedCallee_ |= 1u << c;
      }
    }
    for (uint32_t n = 0; n < gp_->numNodes; ++n)
      if (state_[n] == NodeState::Coalesced) {
        uint32_t a = alias(n);
        colour_[n] = state_[a] == NodeState::Coloured || pre(a) ? colour_[a] : -1;
      }
    out.colour = std::move(colour_);
    return out;
  }

  Interference *gp_ = nullptr;
  const WorkFunction *wp_ = nullptr;
  unsigned k_ = 0;
  std::vector<NodeState> state_;
  std::vector<uint32_t> alias_;
  std::vector<int> colour_;
  std::vector<MoveState> mstate_;
  std::vector<uint32_t> mark_;
  /// The bits of the graph's rows and summaries that merges set (word,
  /// bit), cleared when run ends.
  std::vector<std::pair<uint64_t *, uint64_t>> trail_;
  std::vector<uint32_t> pre_, degree_;       ///< copies of the precoloured masks and degrees
  std::vector<double> weight_;               ///< per node: spill weight (merged on coalescing)
  std::vector<uint32_t> nbr_, nbrLen_;       ///< local lists (starts as in the graph), pruned
  std::vector<std::vector<uint32_t>> extra_;     ///< per node: local edges added by merges, pruned
  std::vector<std::vector<uint32_t>> extraAll_;  ///< per node: local edges added by merges
  std::vector<uint32_t> extraNodes_;             ///< the nodes whose extraAll_ is not empty
  std::vector<uint32_t> mv_, mvLen_;         ///< per node: its live moves (starts as in the graph)
  std::vector<uint32_t> next_, tail_;        ///< coalesced groups as linked lists
  std::vector<uint32_t> nextMv_, tailMv_;    ///< the same without the members whose move lists emptied
  std::vector<uint32_t> liveMoves_;
  std::vector<uint64_t> sig_, sigG_;  ///< significant nodes / global indices (see markSignificant)
  /// Per register: the nodes / global indices that interfere with it (george).
  std::vector<uint64_t> preRows_, preRowsG_;
  /// Per group representative (a bit per node): whether some move of the group may be
  /// Active. Set when a move of the group turns Active (and on merges),
  /// cleared when enableMoves has sent them all back: never false while
  /// one is Active, so enableMoves skips the other groups' move lists.
  std::vector<uint64_t> mayHaveActive_;
  std::vector<uint64_t> alive_, aliveGlobal_;  ///< nodes / global indices still in the graph
  std::vector<uint64_t> planes_, planesG_;     ///< per colour: nodes / global indices holding it
  uint32_t epoch_ = 0;
  uint32_t active_ = 0;  ///< moves in the Active state
  PRegMask poolMask_ = 0, usedCallee_ = 0, caller_ = 0, callee_ = 0;
  std::vector<uint32_t> simplifyWl_, freezeWl_, moveWl_, selectStack_;
  /// The initial order of the move worklist (copyGraph).
  using MoveKey = unsigned __int128;
  std::vector<MoveKey> moveKey_;
  SpillQueue spillQ_;  ///< spill candidates, keyed lazily (spill_queue.h)
};

}  // namespace

Colouring colourGraph(Interference &g, const WorkFunction &w, const ClassRegs &cr) {
  thread_local Irc irc;
  return irc.run(g, w, cr);
}

}  // namespace vcr::alloc
