#pragma once
/// The pipeline's threading: a parallel for over indices (each result goes
/// to its own slot, so the order of a report never depends on scheduling)
/// and a progress meter that reports one update at a time.

#include "tools/pipeline.h"

#include <chrono>
#include <cstddef>
#include <functional>
#include <mutex>

namespace vcr::tools {

/// Calls body(i, worker) for every i in [0, n) on up to `jobs` threads
/// (worker < jobs), each i exactly once; returns when all are done. Bodies
/// must not throw.
void parallelFor(size_t n, unsigned jobs, const std::function<void(size_t, unsigned)> &body);
/// The same without the worker number.
void parallelFor(size_t n, unsigned jobs, const std::function<void(size_t)> &body);

/// Counts what is done and hands each new count to a sink, serialised.
class ProgressMeter {
 public:
  /// `sink` may be empty (then nothing is counted); it must outlive the meter.
  ProgressMeter(const std::function<void(const Progress &)> &sink,
                std::chrono::steady_clock::time_point t0, size_t files);
  void setFunctions(size_t n);
  void functionDone();
  void fileDone();

 private:
  void update(const std::function<void(Progress &)> &change);
  const std::function<void(const Progress &)> &sink_;
  std::chrono::steady_clock::time_point t0_;
  std::mutex mu_;
  Progress p_;
};

}  // namespace vcr::tools
