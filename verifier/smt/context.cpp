// Term construction: the hash-consed DAG of smt::Context, its leaves and queries.
#include "verifier/smt/dag.h"

#include <algorithm>
#include <functional>
#include <stdexcept>

namespace vcr::verifier::smt {

namespace {

uint64_t hashNode(const Node &n) {
  uint64_t h = 0x9e3779b97f4a7c15ull ^ (uint64_t(n.op) << 56 | uint64_t(n.sort) << 48 |
                                        uint64_t(n.width) << 40 | n.nkids);
  auto mix = [&](uint64_t x) {
    h ^= x + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
    h *= 0xff51afd7ed558ccdull;
  };
  mix(n.kid[0]);
  mix(n.kid[1]);
  mix(n.kid[2]);
  mix(n.val);
  return h ^ (h >> 29);
}

}  // namespace

Context::Impl::Impl() {
  nodes.reserve(256);
  names.reserve(64);
  clear();
}

void Context::Impl::clear() {
  nodes.clear();
  nodes.push_back(Node{});
  // A table grown by one big block is shrunk, so that clearing stays cheap.
  if (slots.size() > 2048 || slots.empty()) slots.assign(512, 0);
  else std::fill(slots.begin(), slots.end(), 0);
  if (nameSlots.size() > 512 || nameSlots.empty()) nameSlots.assign(128, 0);
  else std::fill(nameSlots.begin(), nameSlots.end(), 0);
  names.clear();
  extractMemo.clear();
  keyedNames.clear();
  z3.reset();
  Node b;
  b.op = Op::Const;
  b.sort = Sort::Bool;
  falseId = intern(b);
  b.val = 1;
  trueId = intern(b);
}

uint32_t Context::Impl::intern(const Node &n) {
  size_t mask = slots.size() - 1;
  for (size_t i = hashNode(n) & mask;; i = (i + 1) & mask) {
    const uint32_t id = slots[i];
    if (id == 0) {
      nodes.push_back(n);
      const auto fresh = static_cast<uint32_t>(nodes.size() - 1);
      slots[i] = fresh;
      if (nodes.size() * 2 > slots.size()) {  // grow and rehash
        slots.assign(slots.size() * 2, 0);
        mask = slots.size() - 1;
        for (uint32_t k = 1; k < nodes.size(); ++k) {
          size_t j = hashNode(nodes[k]) & mask;
          while (slots[j] != 0) j = (j + 1) & mask;
          slots[j] = k;
        }
      }
      return fresh;
    }
    if (nodes[id] == n) return id;
  }
}

uint32_t Context::Impl::nameOf(std::string_view name) {
  const size_t h = std::hash<std::string_view>{}(name);
  size_t mask = nameSlots.size() - 1;
  size_t i = h & mask;
  for (; nameSlots[i] != 0; i = (i + 1) & mask)
    if (names[nameSlots[i] - 1] == name) return nameSlots[i] - 1;
  names.emplace_back(name);
  const auto idx = static_cast<uint32_t>(names.size() - 1);
  nameSlots[i] = idx + 1;
  if (names.size() * 2 > nameSlots.size()) {  // grow and rehash
    nameSlots.assign(nameSlots.size() * 2, 0);
    mask = nameSlots.size() - 1;
    for (uint32_t k = 0; k < names.size(); ++k) {
      size_t j = std::hash<std::string_view>{}(names[k]) & mask;
      while (nameSlots[j] != 0) j = (j + 1) & mask;
      nameSlots[j] = k + 1;
    }
  }
  return idx;
}

Context::Context() : impl_(std::make_unique<Impl>()) {}
Context::Context(bool normalise) : impl_(std::make_unique<Impl>()) { impl_->normalise = normalise; }
Context::~Context() = default;

void Context::reset() { impl_->clear(); }

Term Context::bv(uint64_t value, unsigned bits) {
  if (bits == 0 || bits > 64) throw std::logic_error("smt: bit-vector width out of range");
  Node n;
  n.op = Op::Const;
  n.sort = Sort::BV;
  n.width = static_cast<uint8_t>(bits);
  n.val = value & maskOf(bits);
  return Term{impl_->intern(n)};
}

Term Context::var(const std::string &name, unsigned bits) {
  if (bits == 0 || bits > 64) throw std::logic_error("smt: bit-vector width out of range");
  Node n;
  n.op = Op::Var;
  n.sort = Sort::BV;
  n.width = static_cast<uint8_t>(bits);
  n.val = impl_->nameOf(name);
  return Term{impl_->intern(n)};
}

Term Context::input(uint32_t key, unsigned bits) {
  if (bits == 0 || bits > 64) throw std::logic_error("smt: bit-vector width out of range");
  Node n;
  n.op = Op::Var;
  n.sort = Sort::BV;
  n.width = static_cast<uint8_t>(bits);
  n.val = kKeyed | key;
  return Term{impl_->intern(n)};
}

Term Context::memoryInput(uint32_t key) {
  Node n;
  n.op = Op::ArrayVar;
  n.sort = Sort::Mem;
  n.val = kKeyed | key;
  return Term{impl_->intern(n)};
}

Term Context::globalsInput(uint32_t key) {
  Node n;
  n.op = Op::ArrayVar;
  n.sort = Sort::Glob;
  n.val = kKeyed | key;
  return Term{impl_->intern(n)};
}

void Context::name(Term t, std::string displayName) {
  const Node &n = impl_->node(t.id);
  if ((n.op != Op::Var && n.op != Op::ArrayVar) || !(n.val & kKeyed))
    throw std::logic_error("smt: only keyed variables are named after they are made");
  impl_->keyedNames[t.id] = std::move(displayName);
}

std::string Context::Impl::uniqueName(uint32_t id) const {
  const Node &n = node(id);
  return n.val & kKeyed ? "k!" + std::to_string(id) : names[n.val];
}

std::string Context::Impl::displayName(uint32_t id) const {
  const Node &n = node(id);
  if (!(n.val & kKeyed)) return names[n.val];
  auto it = keyedNames.find(id);
  return it != keyedNames.end() ? it->second : uniqueName(id);
}

Term Context::boolean(bool b) { return Term{b ? impl_->trueId : impl_->falseId}; }

Term Context::memoryVar(const std::string &name) {
  Node n;
  n.op = Op::ArrayVar;
  n.sort = Sort::Mem;
  n.val = impl_->nameOf(name);
  return Term{impl_->intern(n)};
}

Term Context::globalsVar(const std::string &name) {
  Node n;
  n.op = Op::ArrayVar;
  n.sort = Sort::Glob;
  n.val = impl_->nameOf(name);
  return Term{impl_->intern(n)};
}

unsigned Context::width(Term a) const {
  const Node &n = impl_->node(a.id);
  return n.sort == Sort::BV ? n.width : 0;
}

Term Context::simplify(Term a) {
  (void)impl_->node(a.id);  // validates; terms are normalised when built
  return a;
}

std::optional<bool> Context::boolLiteral(Term a) const {
  const Node &n = impl_->node(a.id);
  if (n.op == Op::Const && n.sort == Sort::Bool) return n.val != 0;
  return std::nullopt;
}

std::optional<uint64_t> Context::bvLiteral(Term a) const {
  const Node &n = impl_->node(a.id);
  if (n.op == Op::Const && n.sort == Sort::BV) return n.val;
  return std::nullopt;
}

bool Context::same(Term a, Term b) const {
  (void)impl_->node(a.id);
  (void)impl_->node(b.id);
  return a.id == b.id;
}

std::vector<std::string> Context::variablesOf(Term a) const {
  std::vector<std::string> out;
  for (uint32_t id : topoOrder(*impl_, {a.id})) {
    const Node &n = impl_->nodes[id];
    if (n.op == Op::Var || n.op == Op::ArrayVar) out.push_back(impl_->displayName(id));
  }
  return out;
}

std::vector<Term> Context::storeIndices(Term a) const {
  std::vector<Term> out;
  for (uint32_t id : topoOrder(*impl_, {a.id}))
    if (impl_->nodes[id].op == Op::Store) out.push_back(Term{impl_->nodes[id].kid[1]});
  return out;
}

size_t Context::size() const { return impl_->nodes.size() - 1; }

std::vector<uint32_t> topoOrder(const Context::Impl &c, const std::vector<uint32_t> &roots) {
  std::vector<uint32_t> order;
  std::vector<bool> seen(c.nodes.size(), false);
  std::vector<std::pair<uint32_t, unsigned>> stack;  // (node, next kid)
  for (uint32_t r : roots) {
    (void)c.node(r);
    if (seen[r]) continue;
    seen[r] = true;
    stack.push_back({r, 0});
    while (!stack.empty()) {
      auto &[id, k] = stack.back();
      const Node &n = c.nodes[id];
      if (k < n.nkids) {
        const uint32_t kid = n.kid[k++];
        if (!seen[kid]) {
          seen[kid] = true;
          stack.push_back({kid, 0});
        }
        continue;
      }
      order.push_back(id);
      stack.pop_back();
    }
  }
  return order;
}

}  // namespace vcr::verifier::smt
