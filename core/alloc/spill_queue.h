#pragma once
/// SpillQueue: the min-priority queue of IRC's spill candidates.
///
/// A key is one 64-bit word: the bits of a non-negative float cost above a
/// node number, so keys are distinct and order like (cost, node). IRC keys
/// lazily: a candidate whose cost rose since it was pushed gets its new
/// cost in place of the old (replaceTop). On large functions that
/// re-keying is most of the queue's work (on the 10,000-instruction wasm
/// benchmark, about seven re-keys per chosen spill), and each sift-down is
/// a chain of dependent loads. So this is a binary heap written out, with
/// the smaller child chosen without a branch; against std::pop_heap it
/// made the 10,000-instruction wasm benchmark about 14% faster (paired
/// runs of alloc_bench). A bucket queue (buckets by float exponent, each
/// sorted on demand) was tried too: no faster on the benchmark's other
/// functions, with bad cases when costs cluster, so it was not kept.
///
/// Keys are distinct, so the pop order is exactly the sorted order of the
/// keys (spill_queue_test), whatever the heap's shape.

#include <cstddef>
#include <cstdint>
#include <vector>

namespace vcr::alloc {

class SpillQueue {
public:
  /// Empty the queue (the storage is kept).
  void clear() {
    heap_.clear();
    bulk_ = false;
  }
  [[nodiscard]] bool empty() const { return heap_.empty(); }
  [[nodiscard]] size_t size() const { return heap_.size(); }

  /// Pushes until endBulk() are collected unordered, then heapified at
  /// once in linear time (the initial candidates).
  void beginBulk() { bulk_ = true; }
  void endBulk() {
    bulk_ = false;
    for (size_t i = heap_.size() / 2; i-- > 0;) siftDown(i, heap_[i]);
  }

  void push(uint64_t k) {
    heap_.push_back(k);
    if (bulk_) return;
    uint64_t *h = heap_.data();
    size_t i = heap_.size() - 1;
    while (i > 0 && h[(i - 1) / 2] > k) {
      h[i] = h[(i - 1) / 2];
      i = (i - 1) / 2;
    }
    h[i] = k;
  }
  /// The smallest key (the queue must not be empty, nor in a bulk fill).
  [[nodiscard]] uint64_t top() const { return heap_.front(); }
  /// The second smallest key: the top once the top is popped (the queue
  /// must hold two keys).
  [[nodiscard]] uint64_t second() const {
    return heap_.size() > 2 && heap_[2] < heap_[1] ? heap_[2] : heap_[1];
  }
  /// Pop the top and push k, in one sift-down from the root. A re-keyed
  /// candidate's new key is only a little above the old one, so it stops
  /// near the root, where a pop and a push would each cross the whole
  /// height of the heap.
  void replaceTop(uint64_t k) { siftDown(0, k); }
  /// Remove and return the smallest key (same conditions).
  uint64_t pop() {
    const uint64_t top = heap_.front();
    const uint64_t last = heap_.back();
    heap_.pop_back();
    if (!heap_.empty()) siftDown(0, last);
    return top;
  }

private:
  /// Place k at hole i, moving smaller children up.
  void siftDown(size_t i, uint64_t k) {
    uint64_t *h = heap_.data();
    const size_t n = heap_.size();
    for (size_t c = 2 * i + 1; c < n; c = 2 * i + 1) {
      c += c + 1 < n && h[c + 1] < h[c];  // the smaller child, without a branch
      if (h[c] >= k) break;
      h[i] = h[c];
      i = c;
    }
    h[i] = k;
  }

  std::vector<uint64_t> heap_;
  bool bulk_ = false;
};

}  // namespace vcr::alloc
