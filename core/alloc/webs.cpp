// Chaitin's webs: each multiply-defined vreg is split into its webs, the maximal sets of definitions and uses linked by reaching.
//
// wasm locals are vregs with several definitions: the zero a local starts
// with, then each local.set. Compilers reuse one local for unrelated values
// (LLVM's wasm backend colours its virtual registers into locals), and a
// parameter is often overwritten once it has been read. As one vreg, all
// those values share one register and one live range: the union of their
// lifetimes. A dead zero-init made a loop-carried local interfere with
// everything live at entry (carried6 in corpus/fixtures/loops.wat spilled
// for that alone); a parameter read once and later reused for a call result
// needed a callee-saved register across calls it never lives across.
//
// A web is found with union-find over the definitions of a vreg and its
// entry into each block where it is live in. A use is joined to the
// definition before it in its block, else to its block's entry; a block's
// entry is joined, for each predecessor, to that predecessor's last
// definition, else to the predecessor's own entry (the vreg is live out of
// every predecessor, so live into one that does not define it). That is
// reaching definitions restricted to where the vreg is live, with no
// bit-vector dataflow: the work is the size of the live-in sets.
//
// The web that the function's entry reaches (a use with no definition on
// some path) keeps the vreg's number, else the web of its first definition
// does; every other web gets a fresh vreg. The checker does not care: it
// re-derives where each value lives, whatever register each def gets.
#include "core/alloc/work.h"

#include <algorithm>
#include <numeric>

namespace vcr::alloc {

namespace {

class UnionFind {
public:
  uint32_t add() {
    parent_.push_back(static_cast<uint32_t>(parent_.size()));
    return parent_.back();
  }
  void reserve(size_t n) { parent_.reserve(n); }
  /// `count` elements at once, each its own root.
  void add(uint32_t count) {
    const size_t first = parent_.size();
    parent_.resize(first + count);
    std::iota(parent_.begin() + static_cast<long>(first), parent_.end(), static_cast<uint32_t>(first));
  }
  uint32_t find(uint32_t x) {
    while (parent_[x] != x) x = parent_[x] = parent_[parent_[x]];
    return x;
  }
  void join(uint32_t a, uint32_t b) {
    a = find(a), b = find(b);
    if (a != b) parent_[std::max(a, b)] = std::min(a, b);  // the root is the oldest element
  }
  [[nodiscard]] size_t size() const { return parent_.size(); }
  /// Points every element at its root, so that each later find is one
  /// look-up: a parent is never younger than its child (join keeps the
  /// oldest as root, find's halving only moves up), so in age order each
  /// element's parent already points at the root.
  void flatten() {
    for (uint32_t &p : parent_) p = parent_[p];
  }

private:
  std::vector<uint32_t> parent_;
};

constexpr uint32_t kNone = ~0u;

}  // namespace

unsigned splitWebs(WorkFunction &w, const mir::Cfg &cfg, const PrePassLiveness *pre) {
  const uint32_t n = w.numVRegs;
  std::vector<uint32_t> ownDefs;
  if (!pre) {
    ownDefs.assign(n, 0);
    for (const mir::Block &b : w.fn.blocks)
      for (const mir::Instr &i : b.instrs)
        for (const mir::Operand &d : i.defs)
          if (d.isVReg() && d.value < n) ++ownDefs[d.value];
  }
  const std::vector<uint32_t> &defs = pre ? pre->defs : ownDefs;
  auto multi = [&](const mir::Operand &o) { return o.isVReg() && o.value < n && defs[o.value] > 1; };
  bool any = false;
  for (uint32_t c : defs) any |= c > 1;
  if (!any) return 0;

  // Liveness of the multiply-defined vregs alone (the others need no
  // web), or the shared one, which covers them (and a few single
  // definitions, skipped below): its flat code is the code before the
  // splits' copies, which are read from their record in their places.
  GlobalLiveness ownLive;
  FlatCode ownFlat;  // the multiply-defined vregs' operands, in code order
  const bool shared = pre && pre->forWebs && pre->built;
  if (!shared) {
    std::vector<uint8_t> isMulti(n);
    for (uint32_t v = 0; v < n; ++v) isMulti[v] = defs[v] > 1;
    ownLive = GlobalLiveness::computeSome(w.fn, cfg, isMulti, &ownFlat);
  }
  const GlobalLiveness &lv = shared ? pre->lv : ownLive;
  const FlatCode &flat = shared ? pre->flat : ownFlat;
  const size_t nb = w.fn.blocks.size();

  // Elements: block entries first, one per multiply-defined vreg live into
  // a block, in block order then row order (entry (0, v) is the function's
  // entry). An entry's element is the count of the entries before it: the
  // running count at the start of its row word plus the set bits before it.
  // The rows are masked to the multiply-defined vregs: the shared liveness
  // also holds the splits' vregs, whose entries no web needs (each was an
  // element, a test and a find; 0.8% of the instructions executed at wasm
  // 10000, callgrind).
  UnionFind uf;
  const uint32_t words = lv.words;
  std::vector<uint64_t> webMask(words, 0);
  for (uint32_t c = 0; c < lv.nodes.size(); ++c)
    if (lv.nodes[c] < n && defs[lv.nodes[c]] > 1) webMask[c / 64] |= uint64_t{1} << (c % 64);
  std::vector<uint32_t> base(nb * words + 1, 0);
  for (size_t b = 0, k = 0; b < nb; ++b)
    for (uint32_t wi = 0; wi < words; ++wi, ++k) {
      const uint64_t x = lv.in[k] & webMask[wi];
      base[k + 1] = base[k] + (x ? popcount64(x) : 0);  // (the rows are sparse: most words count nothing)
    }
  // (Then at most an element per operand and copy: reserved, not grown.)
  const size_t operands = flat.ops.size() + 2 * (shared ? pre->inserted.size() : 0);
  uf.reserve(base[nb * words] + operands);
  uf.add(base[nb * words]);
  // Calls fn(v, e) for each vreg v live into block b, e its entry (read in
  // row order, each entry's element is the running count).
  auto forEachEntry = [&](size_t b, auto &&fn) {
    const uint64_t *row = lv.liveIn(b);
    for (uint32_t wi = 0; wi < words; ++wi) {
      uint32_t e = base[b * words + wi];
      for (uint64_t x = row[wi] & webMask[wi]; x; x &= x - 1, ++e)
        fn(lv.nodes[wi * 64 + static_cast<uint32_t>(__builtin_ctzll(x))], e);
    }
  };

  // One walk: definitions become elements, uses are joined to what reaches
  // them, block entries to what reaches the end of each predecessor.
  // cur[v]: what reaches the current point of the block, which its entry
  // does at the start if v is live in (kNone: nothing).
  std::vector<uint32_t> cur(n, kNone), defElem, useElem;
  std::vector<uint32_t> touched;
  defElem.reserve(operands), useElem.reserve(operands);
  std::vector<std::pair<uint32_t, uint32_t>> orphans;  // (element, vreg): a use nothing reaches
  // (It reads the flat operands: the same operands in the same order as
  // the instructions, without a second walk over them.) `visit` takes one
  // instruction's operands, defs then uses as in the flat code.
  auto visit = [&](const uint32_t *op, uint32_t nd, uint32_t no) {
    for (uint32_t k = nd; k < no; ++k) {
      const uint32_t v = op[k];
      if (defs[v] <= 1) continue;  // (in the shared flat code: not split)
      uint32_t e = cur[v];
      if (e == kNone) orphans.push_back({e = uf.add(), v});  // unreachable code
      useElem.push_back(e);
    }
    for (uint32_t k = 0; k < nd; ++k) {
      const uint32_t v = op[k];
      if (defs[v] <= 1) continue;
      const uint32_t e = uf.add();
      defElem.push_back(e);
      if (cur[v] == kNone) touched.push_back(v);
      cur[v] = e;
    }
  };
  // The splits' copies, by block and position (in code order within one).
  std::vector<PrePassLiveness::Inserted> copies;
  if (shared) {
    copies = pre->inserted;
    std::stable_sort(copies.begin(), copies.end(), [](const auto &x, const auto &y) {
      return x.block != y.block ? x.block < y.block : x.pos < y.pos;
    });
  }
  // Walks block b in code order, the copies in their places (`next`: the
  // first copy of b or a later block): onInstr(i, at) for flat instruction
  // i, onCopy(v, at) for a copy `mov v, v`, where `at` is the index in the
  // block now (the flat code's positions are those before the copies).
  // Both walks below take this one path, so they meet the operands in one
  // order.
  auto walkBlock = [&](size_t b, size_t &next, auto &&onInstr, auto &&onCopy) {
    uint32_t shift = 0;  // copies of block b walked so far
    auto nextPos = [&] { return next < copies.size() && copies[next].block == b ? copies[next].pos : UINT32_MAX; };
    uint32_t due = nextPos();  // (most instructions have no copy before them: one comparison each)
    auto copiesBefore = [&](uint32_t pos) {
      for (; next < copies.size() && copies[next].block == b && copies[next].pos <= pos; ++next, ++shift)
        onCopy(copies[next].v, copies[next].pos + shift);
      due = nextPos();
    };
    for (uint32_t i = flat.blockStart[b]; i < flat.blockStart[b + 1]; ++i) {
      if (flat.instrPos[i] >= due) copiesBefore(flat.instrPos[i]);
      onInstr(i, flat.instrPos[i] + shift);
    }
    if (due != UINT32_MAX) copiesBefore(UINT32_MAX);
  };
  size_t next = 0;
  for (size_t b = 0; b < nb; ++b) {
    forEachEntry(b, [&](uint32_t v, uint32_t e) { cur[v] = e, touched.push_back(v); });
    walkBlock(
        b, next,
        [&](uint32_t i, uint32_t) {
          visit(flat.ops.data() + flat.opStart[i], flat.numDefs[i], flat.opStart[i + 1] - flat.opStart[i]);
        },
        [&](uint32_t v, uint32_t) {
          const uint32_t op[2] = {v, v};  // mov v, v: def, use
          visit(op, 1, 2);
        });
    if (b < cfg.succs.size())
      for (mir::BlockId s : cfg.succs[b])
        forEachEntry(s, [&](uint32_t v, uint32_t e) {
          if (cur[v] != kNone) uf.join(e, cur[v]);
        });
    for (uint32_t v : touched) cur[v] = kNone;
    touched.clear();
  }
  uf.flatten();  // (no join from here on)

  // Names: per vreg, the web holding its function entry or else its first
  // definition keeps the vreg; the rest get fresh vregs.
  std::vector<uint32_t> name(uf.size(), kNone);
  std::vector<uint8_t> named(n, 0);
  forEachEntry(0, [&](uint32_t v, uint32_t e) { name[uf.find(e)] = v, named[v] = 1; });
  for (auto [e, v] : orphans) name[uf.find(e)] = v;  // keeps its name: never a vreg without a definition
  unsigned webs = 0;
  size_t nd = 0, nu = 0;
  auto webName = [&](uint32_t elem, uint32_t v) {
    uint32_t &nm = name[uf.find(elem)];
    if (nm == kNone) {
      if (!named[v]) nm = v, named[v] = 1;
      else {
        nm = w.freshVReg(false, v < w.vclass.size() ? w.vclass[v] : mir::RegClass::Core);
        if (v < w.fn.vregInfo.size()) {
          w.fn.vregInfo.resize(std::max<size_t>(w.fn.vregInfo.size(), nm + 1));
          w.fn.vregInfo[nm] = w.fn.vregInfo[v];
        }
        ++webs;
      }
    }
    return nm;
  };
  // The multiply-defined vregs' operands are those of the flat code and
  // the copies: the instructions without one are not looked at.
  auto rename = [&](mir::Instr &i) {
    for (mir::Operand &u : i.uses)
      if (multi(u)) u.value = webName(useElem[nu++], u.value);
    for (mir::Operand &d : i.defs)
      if (multi(d)) d.value = webName(defElem[nd++], d.value);
  };
  next = 0;
  for (size_t b = 0; b < nb; ++b) {
    auto &is = w.fn.blocks[b].instrs;
    walkBlock(
        b, next, [&](uint32_t, uint32_t at) { rename(is[at]); }, [&](uint32_t, uint32_t at) { rename(is[at]); });
  }
  // Every web of a multiply-defined vreg, the one that kept its number too.
  w.multiDefWeb.resize(std::max<size_t>(w.multiDefWeb.size(), w.numVRegs));
  for (uint32_t v = 0; v < n; ++v)
    if (defs[v] > 1) w.multiDefWeb[v] = 1;
  for (uint32_t v = n; v < w.numVRegs; ++v) w.multiDefWeb[v] = 1;  // fresh ones are all webs
  return webs;
}

}  // namespace vcr::alloc
