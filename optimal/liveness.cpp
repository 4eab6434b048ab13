// Liveness of vregs and pool registers per instruction, for the optimal allocator's program points.
#include "optimal/liveness.h"

#include <algorithm>
#include <iterator>

namespace vcr::optimal {

std::vector<mir::VReg> vregsOf(const mir::OperandList &ops) {
  std::vector<mir::VReg> out;
  for (const mir::Operand &o : ops)
    if (o.isVReg()) out.push_back(o.value);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

namespace {

using Set = std::vector<mir::VReg>;

Set unite(const Set &a, const Set &b) {
  Set out;
  std::set_union(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

Set minus(const Set &a, const Set &b) {
  Set out;
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

/// Walk block `b` backwards from `out`/`pout`; fill `pts` when given. Returns live-in.
Set walk(const mir::Block &b, Set live, UnitMask &preg, const RegFile &file, std::vector<PointLiveness> *pts) {
  if (pts) pts->assign(b.instrs.size(), {});
  for (size_t k = b.instrs.size(); k-- > 0;) {
    const mir::Instr &i = b.instrs[k];
    if (pts) {
      (*pts)[k].after = live;
      (*pts)[k].pregAfter = preg;
    }
    live = unite(minus(live, vregsOf(i.defs)), vregsOf(i.uses));
    preg = (preg & ~file.unitsOf(i.defs)) | file.unitsOf(i.uses);
    if (pts) {
      (*pts)[k].before = live;
      (*pts)[k].pregBefore = preg;
    }
  }
  return live;
}

}  // namespace

FunctionLiveness computeLiveness(const mir::Function &fn, const mir::Cfg &cfg, const RegFile &file) {
  const size_t nb = fn.blocks.size();
  FunctionLiveness lv;
  lv.liveIn.assign(nb, {});
  lv.pregLiveIn.assign(nb, 0);
  std::vector<Set> liveOut(nb);
  std::vector<UnitMask> pregOut(nb, 0);
  for (bool changed = true; changed;) {
    changed = false;
    for (size_t b = nb; b-- > 0;) {
      Set out;
      UnitMask pout = 0;
      for (mir::BlockId s : cfg.succs[b]) {
        out = unite(out, lv.liveIn[s]);
        pout |= lv.pregLiveIn[s];
      }
      UnitMask pin = pout;
      Set in = walk(fn.blocks[b], out, pin, file, nullptr);
      if (in != lv.liveIn[b] || pin != lv.pregLiveIn[b]) {
        lv.liveIn[b] = std::move(in);
        lv.pregLiveIn[b] = pin;
        changed = true;
      }
      liveOut[b] = std::move(out);
      pregOut[b] = pout;
    }
  }
  lv.at.resize(nb);
  for (size_t b = 0; b < nb; ++b) {
    UnitMask p = pregOut[b];
    walk(fn.blocks[b], liveOut[b], p, file, &lv.at[b]);
  }
  return lv;
}

}  // namespace vcr::optimal
