#pragma once
/// SpillQueue: the min-priority queue of IRC's spill candidates.
///
/// A key is one 64-bit word: the bits of a non-negative float cost above a
/// node number, so keys are distinct and order like (cost, node). IRC keys
/// lazily: a candidate whose cost rose since it was pushed is popped and
/// pushed again with its new cost. On large functions that re-keying is
/// most of the queue's work (on the 10,000-instruction wasm benchmark,
/// about seven re-keys per chosen spill), and a binary heap pays a full
/// sift-down, a chain of dependent cache misses, for each.
///
/// Here keys sit in buckets by the top bits of their float (its exponent
/// and 4 bits of mantissa: buckets about 6% wide). The lowest non-empty
/// bucket is sorted when it is first asked for its minimum, and pops then
/// take from its end; a push keeps a bucket sorted if it is the bucket's
/// new minimum, else marks it for sorting again. Costs cluster (many
/// values have the same weight and similar degrees), so one sort serves
/// many pops, and a re-keyed candidate usually lands in a higher bucket
/// at O(1). The pop order is exactly the sorted order of the keys, as with
/// a heap (spill_queue_test).

#include <algorithm>
#include <cstdint>
#include <functional>
#include <vector>

namespace vcr::alloc {

class SpillQueue {
public:
  /// Empty the queue (the buckets keep their storage).
  void clear() {
    for (uint32_t b = lo_; b <= hi_ && b < buckets_.size(); ++b) {
      buckets_[b].clear();
      sorted_[b] = 1;  // an empty bucket is sorted
    }
    size_ = 0;
    lo_ = kNoBucket;
    hi_ = 0;
    cursor_ = kNoBucket;
  }
  [[nodiscard]] bool empty() const { return size_ == 0; }
  [[nodiscard]] size_t size() const { return size_; }

  void push(uint64_t k) {
    if (buckets_.empty()) {
      buckets_.resize(kBuckets);
      sorted_.assign(kBuckets, 0);
    }
    const uint32_t b = bucketOf(k);
    std::vector<uint64_t> &bk = buckets_[b];
    // A sorted bucket (descending) stays sorted if k is its new minimum.
    if (sorted_[b] && !bk.empty() && k > bk.back()) sorted_[b] = 0;
    bk.push_back(k);
    ++size_;
    lo_ = std::min(lo_, b);
    hi_ = std::max(hi_, b);
    if (b < cursor_) cursor_ = b;
  }

  /// The smallest key (the queue must not be empty).
  [[nodiscard]] uint64_t top() { return bucket().back(); }

  /// Remove and return the smallest key (the queue must not be empty).
  uint64_t pop() {
    std::vector<uint64_t> &bk = bucket();
    const uint64_t k = bk.back();
    bk.pop_back();
    --size_;
    return k;
  }

private:
  static constexpr unsigned kShift = 32 + 19;  ///< key bits below the bucket index
  static constexpr uint32_t kBuckets = 1u << (64 - kShift);
  static constexpr uint32_t kNoBucket = UINT32_MAX;
  static uint32_t bucketOf(uint64_t k) { return static_cast<uint32_t>(k >> kShift); }

  /// The lowest non-empty bucket, sorted in descending order: its minimum
  /// last. Later pops from it cost nothing until a push breaks the order.
  std::vector<uint64_t> &bucket() {
    while (buckets_[cursor_].empty()) ++cursor_;
    std::vector<uint64_t> &bk = buckets_[cursor_];
    if (!sorted_[cursor_]) {
      std::sort(bk.begin(), bk.end(), std::greater<uint64_t>());
      sorted_[cursor_] = 1;
    }
    return bk;
  }

  std::vector<std::vector<uint64_t>> buckets_;
  size_t size_ = 0;
  uint32_t lo_ = kNoBucket, hi_ = 0;  ///< range of buckets that may hold keys (for clear)
  uint32_t cursor_ = kNoBucket;       ///< no key sits below this bucket
  std::vector<uint8_t> sorted_;       ///< per bucket: in descending order
};

}  // namespace vcr::alloc
