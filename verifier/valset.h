#pragma once
/// ValSet: a small sorted set of value ids (vregs and pseudo-values) held
/// by one location. Most locations hold zero to three values, so up to
/// kInline ids live inside the object; copying a state of the location
/// dataflow then allocates nothing in the common case.

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <memory>
#include <utility>
#include <vector>

namespace vcr::verifier {

/// A sorted set of uint32 value ids with inline storage for small sets.
class ValSet {
public:
  static constexpr uint32_t kInline = 4;

  ValSet() = default;
  /// The set of the given ids (any order, duplicates dropped).
  ValSet(std::initializer_list<uint32_t> ids) {
    for (uint32_t v : ids) insert(v);
  }
  ValSet(const ValSet &o) { assign(o); }
  ValSet(ValSet &&o) noexcept { steal(o); }
  ValSet &operator=(const ValSet &o) {
    if (this != &o) assign(o);
    return *this;
  }
  ValSet &operator=(ValSet &&o) noexcept {
    if (this != &o) steal(o);
    return *this;
  }
  ~ValSet() = default;

  /// Iteration in increasing order.
  [[nodiscard]] const uint32_t *begin() const { return data(); }
  /// End of the ids.
  [[nodiscard]] const uint32_t *end() const { return data() + size_; }
  /// Number of ids.
  [[nodiscard]] size_t size() const { return size_; }
  /// Whether the set is empty.
  [[nodiscard]] bool empty() const { return size_ == 0; }
  /// Remove every id.
  void clear() { size_ = 0; }
  /// Whether `v` is in the set.
  [[nodiscard]] bool contains(uint32_t v) const { return std::binary_search(begin(), end(), v); }

  /// Add `v` (no effect if present).
  void insert(uint32_t v) {
    uint32_t *d = data();
    uint32_t *p = std::lower_bound(d, d + size_, v);
    if (p != d + size_ && *p == v) return;
    const size_t at = size_t(p - d);
    if (size_ == capacity()) grow();
    d = data();
    std::memmove(d + at + 1, d + at, (size_ - at) * sizeof(uint32_t));
    d[at] = v;
    ++size_;
  }
  /// Append `v`, which must be above every id present (keeps the order).
  void pushBackSorted(uint32_t v) {
    if (size_ == capacity()) grow();
    data()[size_++] = v;
  }
  /// Remove `v` (no effect if absent).
  void erase(uint32_t v) {
    if (size_ == 0) return;
    uint32_t *d = data();
    if (v < d[0] || v > d[size_ - 1]) return;
    uint32_t *p = std::lower_bound(d, d + size_, v);
    if (p == d + size_ || *p != v) return;
    std::memmove(p, p + 1, size_t(d + size_ - p - 1) * sizeof(uint32_t));
    --size_;
  }
  /// Remove every id for which `drop(id)` holds.
  template <class Pred> void removeIf(Pred drop) {
    uint32_t *d = data();
    uint32_t n = 0;
    for (uint32_t i = 0; i < size_; ++i)
      if (!drop(d[i])) d[n++] = d[i];
    size_ = n;
  }
  /// The ids in both sets.
  [[nodiscard]] static ValSet intersect(const ValSet &a, const ValSet &b) {
    ValSet r;
    const uint32_t *x = a.begin(), *y = b.begin();
    while (x != a.end() && y != b.end()) {
      if (*x < *y) ++x;
      else if (*y < *x) ++y;
      else {
        if (r.size_ == r.capacity()) r.grow();
        r.data()[r.size_++] = *x;
        ++x, ++y;
      }
    }
    return r;
  }
  friend bool operator==(const ValSet &a, const ValSet &b) {
    if (a.size_ != b.size_) return false;
    const uint32_t *x = a.data(), *y = b.data();
    for (uint32_t i = 0; i < a.size_; ++i)  // a plain loop: sets are tiny, a memcmp call is not
      if (x[i] != y[i]) return false;
    return true;
  }

private:
  uint32_t *data() { return heap_ ? heap_.get() : inline_; }
  [[nodiscard]] const uint32_t *data() const { return heap_ ? heap_.get() : inline_; }
  [[nodiscard]] uint32_t capacity() const { return heap_ ? heapCap_ : kInline; }
  void grow() {
    const uint32_t cap = capacity() * 2;
    std::unique_ptr<uint32_t[]> h(new uint32_t[cap]);
    std::memcpy(h.get(), data(), size_ * sizeof(uint32_t));
    heap_ = std::move(h);
    heapCap_ = cap;
  }
  void assign(const ValSet &o) {
    if (!heap_ && !o.heap_) {  // the common case: a fixed-size copy the compiler inlines
      std::memcpy(inline_, o.inline_, sizeof inline_);
      size_ = o.size_;
      return;
    }
    if (o.size_ > capacity()) {
      heap_.reset(new uint32_t[o.size_]);
      heapCap_ = o.size_;
    }
    std::memcpy(data(), o.data(), o.size_ * sizeof(uint32_t));
    size_ = o.size_;
  }
  void steal(ValSet &o) {
    if (o.heap_) {
      heap_ = std::move(o.heap_);
      heapCap_ = o.heapCap_;
    } else {
      heap_.reset();
      std::memcpy(inline_, o.inline_, sizeof inline_);
    }
    size_ = o.size_;
    o.size_ = 0;
  }

  uint32_t size_ = 0;
  uint32_t heapCap_ = 0;
  std::unique_ptr<uint32_t[]> heap_;
  uint32_t inline_[kInline] = {};
};

/// A small map from frame offsets to values of type V, kept as a sorted
/// vector (frames have few tracked words; copying it is one allocation).
template <class V> class OffsetMap {
public:
  using value_type = std::pair<int32_t, V>;
  using iterator = typename std::vector<value_type>::iterator;
  using const_iterator = typename std::vector<value_type>::const_iterator;

  /// Entries in increasing offset order.
  iterator begin() { return v_.begin(); }
  /// End of the entries.
  iterator end() { return v_.end(); }
  /// Entries in increasing offset order.
  [[nodiscard]] const_iterator begin() const { return v_.begin(); }
  /// End of the entries.
  [[nodiscard]] const_iterator end() const { return v_.end(); }
  /// Number of entries.
  [[nodiscard]] size_t size() const { return v_.size(); }
  /// Whether there are no entries.
  [[nodiscard]] bool empty() const { return v_.empty(); }
  /// First entry with offset >= `k`.
  iterator lower_bound(int32_t k) {
    return std::lower_bound(v_.begin(), v_.end(), k, [](const value_type &e, int32_t x) { return e.first < x; });
  }
  /// First entry with offset >= `k`.
  [[nodiscard]] const_iterator lower_bound(int32_t k) const {
    return std::lower_bound(v_.begin(), v_.end(), k, [](const value_type &e, int32_t x) { return e.first < x; });
  }
  /// The entry of offset `k`, or end().
  iterator find(int32_t k) {
    auto it = lower_bound(k);
    return it != v_.end() && it->first == k ? it : v_.end();
  }
  /// The entry of offset `k`, or end().
  [[nodiscard]] const_iterator find(int32_t k) const {
    auto it = lower_bound(k);
    return it != v_.end() && it->first == k ? it : v_.end();
  }
  /// The value of offset `k`, inserted default-constructed if missing.
  V &operator[](int32_t k) {
    auto it = lower_bound(k);
    if (it == v_.end() || it->first != k) it = v_.insert(it, value_type{k, V{}});
    return it->second;
  }
  /// Remove one entry; returns the next.
  iterator erase(iterator it) { return v_.erase(it); }
  /// Remove a range of entries; returns the next.
  iterator erase(iterator first, iterator last) { return v_.erase(first, last); }
  /// Remove every entry for which `drop(entry)` holds (one pass).
  template <class Pred> void removeIf(Pred drop) {
    v_.erase(std::remove_if(v_.begin(), v_.end(), drop), v_.end());
  }
  /// Make room for `n` entries.
  void reserve(size_t n) { v_.reserve(n); }
  /// Remove every entry; the storage is kept.
  void clear() { v_.clear(); }
  /// Append an entry whose offset is above every present one.
  void pushBack(int32_t k, V v) { v_.emplace_back(k, std::move(v)); }
  friend bool operator==(const OffsetMap &a, const OffsetMap &b) { return a.v_ == b.v_; }

private:
  std::vector<value_type> v_;
};

/// Frame offsets to the values each word holds (the location dataflow).
using FrameMap = OffsetMap<ValSet>;

}  // namespace vcr::verifier
