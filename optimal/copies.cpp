// Copy-equal vregs per program point: forward dataflow over `mov d, s`, killed by redefinition.
#include "optimal/copies.h"

#include <algorithm>
#include <iterator>
#include <numeric>
#include <optional>

namespace vcr::optimal {

namespace {

void transfer(const mir::Instr &i, CopyPairs &pairs) {
  std::vector<mir::VReg> defs;
  for (const mir::Operand &d : i.defs)
    if (d.isVReg()) defs.push_back(d.value);
  if (defs.empty()) return;
  auto defined = [&](mir::VReg v) { return std::find(defs.begin(), defs.end(), v) != defs.end(); };
  std::erase_if(pairs, [&](const auto &p) { return defined(p.first) || defined(p.second); });
  if (i.op != mir::Opcode::Mov || i.defs.size() != 1 || i.uses.size() != 1 || !i.uses[0].isVReg()) return;
  const mir::VReg d = i.defs[0].value, s = i.uses[0].value;
  if (d == s) return;
  CopyPairs added{{std::min(d, s), std::max(d, s)}};
  for (const auto &[a, b] : pairs) {
    if (a == s) added.push_back({std::min(d, b), std::max(d, b)});
    if (b == s) added.push_back({std::min(d, a), std::max(d, a)});
  }
  pairs.insert(pairs.end(), added.begin(), added.end());
  std::sort(pairs.begin(), pairs.end());
  pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
}

}  // namespace

FunctionCopies computeCopies(const mir::Function &fn, const mir::Cfg &cfg) {
  const size_t nb = fn.blocks.size();
  std::vector<std::optional<CopyPairs>> out(nb);  // nullopt: not reached yet (top)
  FunctionCopies fc;
  fc.entry.assign(nb, {});
  for (bool changed = true; changed;) {
    changed = false;
    for (mir::BlockId b : cfg.rpo) {
      std::optional<CopyPairs> in;
      if (b != 0)
        for (mir::BlockId p : cfg.preds[b]) {
          if (!out[p]) continue;
          if (!in) {
            in = *out[p];
            continue;
          }
          CopyPairs both;
          std::set_intersection(in->begin(), in->end(), out[p]->begin(), out[p]->end(), std::back_inserter(both));
          *in = std::move(both);
        }
      CopyPairs cur = in.value_or(CopyPairs{});
      fc.entry[b] = cur;
      for (const mir::Instr &i : fn.blocks[b].instrs) transfer(i, cur);
      if (!out[b] || *out[b] != cur) {
        out[b] = std::move(cur);
        changed = true;
      }
    }
  }
  fc.after.assign(nb, {});
  for (size_t b = 0; b < nb; ++b) {
    CopyPairs cur = fc.entry[b];
    for (const mir::Instr &i : fn.blocks[b].instrs) {
      transfer(i, cur);
      fc.after[b].push_back(cur);
    }
  }
  return fc;
}

std::vector<std::vector<mir::VReg>> copyClasses(const CopyPairs &pairs, const std::vector<mir::VReg> &present) {
  std::vector<size_t> parent(present.size());
  std::iota(parent.begin(), parent.end(), 0);
  auto find = [&](size_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  };
  auto index = [&](mir::VReg v) -> std::optional<size_t> {
    auto it = std::lower_bound(present.begin(), present.end(), v);
    if (it == present.end() || *it != v) return std::nullopt;
    return static_cast<size_t>(it - present.begin());
  };
  for (const auto &[a, b] : pairs) {
    auto ia = index(a), ib = index(b);
    if (ia && ib) parent[find(*ia)] = find(*ib);
  }
  std::vector<std::vector<mir::VReg>> byRoot(present.size()), out;
  for (size_t k = 0; k < present.size(); ++k) byRoot[find(k)].push_back(present[k]);
  for (auto &c : byRoot)
    if (c.size() >= 2) out.push_back(std::move(c));
  return out;
}

}  // namespace vcr::optimal
