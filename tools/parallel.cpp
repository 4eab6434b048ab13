// The pipeline's threading: parallelFor and the progress meter.
#include "tools/parallel.h"

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

namespace vcr::tools {

void parallelFor(size_t n, unsigned jobs, const std::function<void(size_t, unsigned)> &body) {
  const unsigned threads = static_cast<unsigned>(std::min<size_t>(std::max(1u, jobs), n));
  if (threads <= 1) {
    for (size_t i = 0; i < n; ++i) body(i, 0);
    return;
  }
  std::atomic<size_t> next{0};
  std::vector<std::jthread> pool;
  for (unsigned w = 0; w < threads; ++w)
    pool.emplace_back([&, w] {
      for (size_t i; (i = next.fetch_add(1)) < n;) body(i, w);
    });
}

void parallelFor(size_t n, unsigned jobs, const std::function<void(size_t)> &body) {
  parallelFor(n, jobs, [&](size_t i, unsigned) { body(i); });
}

ProgressMeter::ProgressMeter(const std::function<void(const Progress &)> &sink,
                             std::chrono::steady_clock::time_point t0, size_t files)
    : sink_(sink), t0_(t0) {
  p_.files = files;
}

void ProgressMeter::setFunctions(size_t n) { update([&](Progress &p) { p.functions = n; }); }
void ProgressMeter::functionDone() { update([](Progress &p) { ++p.functionsDone; }); }
void ProgressMeter::fileDone() { update([](Progress &p) { ++p.filesDone; }); }

void ProgressMeter::update(const std::function<void(Progress &)> &change) {
  if (!sink_) return;
  std::lock_guard<std::mutex> lock(mu_);
  change(p_);
  p_.elapsedSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0_).count();
  sink_(p_);
}

}  // namespace vcr::tools
