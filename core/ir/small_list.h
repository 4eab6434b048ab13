#pragma once
/// SmallList<T, N>: a vector of trivially copyable T that keeps up to N
/// elements inside itself and only goes to the heap beyond that.
///
/// Why not boost::container::small_vector: an instruction holds three of
/// these lists and is moved and copied by every allocator pass. A
/// small_vector keeps a pointer to its own inline buffer, so a move copies
/// element by element and re-points; its header is 24 bytes. Here a list is
/// a 32-bit size and capacity next to a union of the inline elements and
/// the heap pointer: moving or copying an inline list is a fixed-size
/// memcpy, and the list is 16 bytes smaller (alloc_bench, callgrind).
///
/// The API is the part of std::vector's that the code base uses.

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <iterator>
#include <stdexcept>
#include <type_traits>

namespace vcr::mir {

template <class T, uint32_t N> class SmallList {
  static_assert(std::is_trivially_copyable_v<T> && N > 0);

public:
  using value_type = T;
  using size_type = std::size_t;
  using iterator = T *;
  using const_iterator = const T *;
  using reference = T &;
  using const_reference = const T &;

  SmallList() noexcept : inline_{} {}
  SmallList(std::initializer_list<T> il) { assign(il.begin(), il.end()); }
  template <class It, class = std::enable_if_t<!std::is_integral_v<It>>> SmallList(It first, It last) {
    assign(first, last);
  }
  explicit SmallList(size_type n, const T &v = T{}) { resize(n, v); }
  SmallList(const SmallList &o) { copyFrom(o); }
  SmallList(SmallList &&o) noexcept { steal(o); }
  SmallList &operator=(const SmallList &o) {
    if (this != &o) {
      if (o.size_ <= capacity()) {
        std::memcpy(static_cast<void *>(data()), o.data(), o.size_ * sizeof(T));
        size_ = o.size_;
      } else {
        release();
        copyFrom(o);
      }
    }
    return *this;
  }
  SmallList &operator=(SmallList &&o) noexcept {
    if (this != &o) {
      release();
      steal(o);
    }
    return *this;
  }
  SmallList &operator=(std::initializer_list<T> il) {
    assign(il.begin(), il.end());
    return *this;
  }
  ~SmallList() { release(); }

  template <class It> void assign(It first, It last) {
    const auto n = static_cast<uint32_t>(std::distance(first, last));
    size_ = 0;
    reserve(n);
    std::copy(first, last, data());
    size_ = n;
  }

  [[nodiscard]] T *data() noexcept { return onHeap() ? heap_ : reinterpret_cast<T *>(inline_); }
  [[nodiscard]] const T *data() const noexcept {
    return onHeap() ? heap_ : reinterpret_cast<const T *>(inline_);
  }
  [[nodiscard]] size_type size() const noexcept { return size_; }
  [[nodiscard]] bool empty() const noexcept { return size_ == 0; }
  [[nodiscard]] size_type capacity() const noexcept { return cap_; }

  iterator begin() noexcept { return data(); }
  iterator end() noexcept { return data() + size_; }
  const_iterator begin() const noexcept { return data(); }
  const_iterator end() const noexcept { return data() + size_; }
  const_iterator cbegin() const noexcept { return begin(); }
  const_iterator cend() const noexcept { return end(); }

  T &operator[](size_type i) noexcept { return data()[i]; }
  const T &operator[](size_type i) const noexcept { return data()[i]; }
  T &at(size_type i) {
    if (i >= size_) throw std::out_of_range("SmallList::at");
    return data()[i];
  }
  const T &at(size_type i) const {
    if (i >= size_) throw std::out_of_range("SmallList::at");
    return data()[i];
  }
  T &front() noexcept { return data()[0]; }
  const T &front() const noexcept { return data()[0]; }
  T &back() noexcept { return data()[size_ - 1]; }
  const T &back() const noexcept { return data()[size_ - 1]; }

  void reserve(size_type n) {
    if (n <= cap_) return;
    const auto cap = static_cast<uint32_t>(std::max<size_type>(n, 2 * size_type(cap_)));
    T *p = static_cast<T *>(::operator new(cap * sizeof(T)));
    std::memcpy(static_cast<void *>(p), data(), size_ * sizeof(T));
    const uint32_t size = size_;
    release();
    heap_ = p;
    cap_ = cap;
    size_ = size;
  }
  void push_back(const T &v) {
    if (size_ == cap_) {
      const T copy = v;  // v may live in this list
      reserve(size_type(size_) + 1);
      data()[size_++] = copy;
      return;
    }
    data()[size_++] = v;
  }
  template <class... A> T &emplace_back(A &&...a) {
    push_back(T{std::forward<A>(a)...});
    return back();
  }
  void pop_back() noexcept { --size_; }
  void clear() noexcept { size_ = 0; }
  void resize(size_type n, const T &v = T{}) {
    if (n > size_) {
      const T copy = v;  // v may live in this list
      reserve(n);
      std::fill(data() + size_, data() + n, copy);
    }
    size_ = static_cast<uint32_t>(n);
  }
  iterator insert(const_iterator pos, const T &v) {
    const auto at = static_cast<size_type>(pos - begin());
    const T copy = v;
    reserve(size_type(size_) + 1);
    T *d = data();
    std::memmove(static_cast<void *>(d + at + 1), d + at, (size_ - at) * sizeof(T));
    d[at] = copy;
    ++size_;
    return d + at;
  }
  iterator erase(const_iterator first, const_iterator last) {
    T *d = data();
    const auto a = static_cast<size_type>(first - d), b = static_cast<size_type>(last - d);
    std::memmove(static_cast<void *>(d + a), d + b, (size_ - b) * sizeof(T));
    size_ -= static_cast<uint32_t>(b - a);
    return d + a;
  }
  iterator erase(const_iterator pos) { return erase(pos, pos + 1); }

  friend bool operator==(const SmallList &a, const SmallList &b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end());
  }

private:
  bool onHeap() const noexcept { return cap_ > N; }
  void release() noexcept {
    if (onHeap()) ::operator delete(heap_);
    cap_ = N;
    size_ = 0;
  }
  /// Take o's elements (a fixed-size copy of the storage) and leave o empty.
  void steal(SmallList &o) noexcept {
    size_ = o.size_;
    cap_ = o.cap_;
    std::memcpy(inline_, o.inline_, sizeof inline_);
    o.cap_ = N;
    o.size_ = 0;
  }
  void copyFrom(const SmallList &o) {
    if (!o.onHeap()) {
      size_ = o.size_;
      std::memcpy(inline_, o.inline_, sizeof inline_);
      return;
    }
    reserve(o.size_);
    std::memcpy(static_cast<void *>(data()), o.data(), o.size_ * sizeof(T));
    size_ = o.size_;
  }

  uint32_t size_ = 0;
  uint32_t cap_ = N;
  // Raw bytes, not T[N]: T may have default member initialisers, which
  // would delete the union's constructor. T is trivially copyable, so the
  // memcpys here create its objects (C++20 implicit object creation).
  union {
    alignas(T) unsigned char inline_[N * sizeof(T)];
    T *heap_;
  };
};

}  // namespace vcr::mir
