// Graphviz rendering of the interference graph with the final colours and the spilled vregs.
#include "core/alloc/work.h"

#include <fmt/format.h>

namespace vcr::alloc {

namespace {

constexpr const char *kFill[] = {"#8dd3c7", "#ffffb3", "#bebada", "#fb8072", "#80b1d3",
                                 "#fdb462", "#b3de69", "#fccde5", "#d9d9d9", "#bc80bd",
                                 "#ccebc5", "#ffed6f", "#a6cee3", "#ffffff", "#b2df8a", "#ffffff"};

std::string nodeName(uint32_t n) {
  if (n < kVRegBase) return std::string(mir::pregName(static_cast<mir::PReg>(n)));
  // Appended, not "v" + to_string(...): GCC 12 at -O3 warns falsely on a
  // literal prepended to a temporary string (-Wrestrict, GCC bug 105329).
  std::string name = "v";
  name += std::to_string(n - kVRegBase);
  return name;
}

}  // namespace

std::string renderDot(const std::string &name, const GraphSnapshot &g, const Colouring &fin,
                      const WorkFunction &w) {
  std::string s = fmt::format("graph \"{}\" {{\n  node [style=filled, fontname=\"monospace\"];\n", name);
  Bits shown(g.occurs.size());
  for (const auto &[u, v] : g.edges) shown.set(u), shown.set(v);
  for (const auto &m : g.moves) shown.set(m.dst), shown.set(m.src);
  for (size_t n = g.occurs.find_first(); n != Bits::npos; n = g.occurs.find_next(n)) shown.set(n);
  for (size_t n = shown.find_first(); n != Bits::npos; n = shown.find_next(n)) {
    auto node = static_cast<uint32_t>(n);
    if (node < kVRegBase) {
      s += fmt::format("  {} [shape=box, label=\"{}\", fillcolor=\"{}\"];\n", nodeName(node),
                       nodeName(node), kFill[node]);
      continue;
    }
    mir::VReg v = node - kVRegBase;
    bool spilled = v < w.everSpilled.size() && w.everSpilled[v];
    int c = node < fin.colour.size() ? fin.colour[node] : -1;
    if (spilled)
      s += fmt::format("  {} [label=\"{}\\nspilled\", style=\"dashed\", color=red, fontcolor=red];\n",
                       nodeName(node), nodeName(node));
    else if (c >= 0)
      s += fmt::format("  {} [label=\"{}\\n{}\", fillcolor=\"{}\"];\n", nodeName(node), nodeName(node),
                       mir::pregName(static_cast<mir::PReg>(c)), kFill[c]);
    else
      s += fmt::format("  {} [label=\"{}\"];\n", nodeName(node), nodeName(node));
  }
  for (const auto &[u, v] : g.edges) s += fmt::format("  {} -- {};\n", nodeName(u), nodeName(v));
  for (const auto &m : g.moves)
    s += fmt::format("  {} -- {} [style=dotted, color=blue];\n", nodeName(m.dst), nodeName(m.src));
  return s + "}\n";
}

}  // namespace vcr::alloc
