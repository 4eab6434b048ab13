// Dead definitions of multiply-defined vregs become vregs of their own, so that they interfere only where they are made.
//
// wasm locals are vregs with several definitions: the zero a local starts
// with, then each local.set. A definition whose value nobody reads (the
// zero of a local that is always set before it is read) still makes the
// whole vreg interfere with every value live at that point, although the
// only register it needs is a free one at that instruction. Carried6 in
// corpus/fixtures/loops.wat spilled for this alone: the zero-inits of two
// loop-carried locals made them interfere with the seed parameter, and ten
// values competed for nine registers where nine never are live at once.
//
// This is the simplest case of Chaitin's webs (a web is a maximal set of
// definitions and uses linked by reaching), the one that needs no
// reaching-definitions dataflow: a definition that is dead right after its
// instruction forms a web on its own. The checker does not care: it
// re-derives where each value lives, whatever register each def gets.
#include "core/alloc/work.h"

namespace vcr::alloc {

unsigned isolateDeadDefs(WorkFunction &w, const mir::Cfg &cfg) {
  const uint32_t n = w.numVRegs;
  std::vector<uint32_t> defs(n, 0);
  for (const mir::Block &b : w.fn.blocks)
    for (const mir::Instr &i : b.instrs)
      for (const mir::Operand &d : i.defs)
        if (d.isVReg() && d.value < n) ++defs[d.value];
  bool any = false;
  for (uint32_t c : defs) any |= c > 1;
  if (!any) return 0;

  NodeMap map;  // node = vreg; physical registers are no nodes
  map.numNodes = n;
  const GlobalLiveness lv = GlobalLiveness::compute(w.fn, cfg, map);
  std::vector<uint8_t> live(n, 0);
  std::vector<uint32_t> touched;
  auto mark = [&](uint32_t v) {
    if (!live[v]) live[v] = 1, touched.push_back(v);
  };
  unsigned renamed = 0;
  for (size_t b = 0; b < w.fn.blocks.size(); ++b) {
    lv.forEachIn(lv.liveOut(b), mark);
    auto &is = w.fn.blocks[b].instrs;
    for (size_t k = is.size(); k-- > 0;) {
      mir::Instr &i = is[k];
      for (mir::Operand &d : i.defs) {
        if (!d.isVReg() || d.value >= n) continue;
        const uint32_t v = d.value;
        if (defs[v] > 1 && !live[v]) {
          d.value = w.freshVReg(false);  // may grow the per-vreg vectors, not `defs`/`live` (indexed below n)
          --defs[v];
          ++renamed;
        } else {
          live[v] = 0;
        }
      }
      for (const mir::Operand &u : i.uses)
        if (u.isVReg() && u.value < n) mark(u.value);
    }
    for (uint32_t v : touched) live[v] = 0;
    touched.clear();
  }
  return renamed;
}

}  // namespace vcr::alloc
