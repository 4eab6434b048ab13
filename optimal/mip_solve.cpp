// Mip::solve: CBC in a child process, so that its time limit is a hard one.
//
// CBC 2.10 checks its clock in the branch-and-bound loop but not in its root
// processing (cuts, heuristics), where a large program can spend minutes past
// the limit; its integer preprocessing can also crash when stopped. The solve
// therefore runs in a forked child that writes its outcome into shared
// memory, and the parent kills it at the limit plus a grace period. A killed
// or crashed solve keeps the warm start (when there is one) as its best
// solution, with no bound. Each child has its own copy of CBC's global state,
// so solves of different functions run in parallel.
#include "optimal/mip.h"

#include <coin/Cbc_C_Interface.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <mutex>
#include <thread>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

namespace vcr::optimal {

namespace {

/// What a CBC run leaves behind; `nc` solution values follow it in memory.
struct Outcome {
  int status = -1, secondary = -1, proven = 0, hasBest = 0;
  double possible = 0;
  double elapsed = 0;
};

/// CPU time (user and system) of this process, in seconds. CBC's timeMode
/// cpu counts user time, so this is never below CBC's figure and `finish`
/// errs toward "stopped on time" (feasible), never toward a false optimum.
/// In the in-process fallback (no child: no memory or processes, or
/// SolveIsolation::InProcess) both clocks count every thread of the
/// process: with other threads busy the limit is reached sooner.
double cpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
}

/// The program in CBC's compressed-column form.
struct Csc {
  std::vector<CoinBigIndex> start;
  std::vector<int> index;
  std::vector<double> value;
};

/// Run CBC on the program and fill `out` and `x` (nc values). Touches only
/// CBC and this memory: it runs in a forked child of a threaded process.
void runCbc(const Csc &p, int nc, int nr, const double *lb, const double *ub, const double *obj, const char *integer,
            const double *rowLo, const double *rowHi, double seconds, bool log, const std::vector<double> *warm,
            bool cpuTime, Outcome *out, double *x) {
  const auto t0 = std::chrono::steady_clock::now();
  const double cpu0 = cpuSeconds();
  Cbc_Model *m = Cbc_newModel();
  Cbc_loadProblem(m, nc, nr, p.start.data(), p.index.data(), p.value.data(), lb, ub, obj, rowLo, rowHi);
  for (int c = 0; c < nc; ++c)
    if (integer[c]) Cbc_setInteger(m, c);
  Cbc_setObjSense(m, 1);
  // Debugging aid: VCR_OPTIMAL_LP=FILE writes the program (CPLEX LP format).
  if (const char *dump = std::getenv("VCR_OPTIMAL_LP")) Cbc_writeLp(m, dump);
  Cbc_setLogLevel(m, log ? 1 : 0);
  Cbc_setParameter(m, "slogLevel", log ? "1" : "0");  // the LP solver's messages too (stdout may carry JSON)
  // Wall time by default (a user waits for it); CPU time on request: CBC
  // then counts its process's own (the forked child's), whatever else runs.
  Cbc_setParameter(m, "timeMode", cpuTime ? "cpu" : "elapsed");
  // CBC 2.10's integer preprocessing can crash (CglPreProcess::postProcess,
  // SIGSEGV) when the time limit stops the search it set up: off.
  Cbc_setParameter(m, "preprocess", "off");
  Cbc_setMaximumSeconds(m, seconds);
  if (warm && warm->size() == static_cast<size_t>(nc)) Cbc_setInitialSolution(m, warm->data());
  Cbc_setAllowableGap(m, 0.5);  // integral objective: within 0.5 is optimal
  Cbc_solve(m);
  out->status = Cbc_status(m);
  out->secondary = Cbc_secondaryStatus(m);
  out->proven = Cbc_isProvenOptimal(m) != 0;
  out->possible = Cbc_getBestPossibleObjValue(m);
  if (const double *best = Cbc_bestSolution(m)) {
    out->hasBest = 1;
    std::copy(best, best + nc, x);
  }
  if (std::getenv("VCR_OPTIMAL_DEBUG"))
    fprintf(stderr, "cbc status %d secondary %d optimal %d\n", out->status, out->secondary, out->proven);
  Cbc_deleteModel(m);
  // In the unit of the limit (finish compares them).
  out->elapsed = cpuTime ? cpuSeconds() - cpu0 : std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

/// Anonymous shared memory for the outcome and the solution, unmapped on scope exit.
class SharedBlock {
public:
  explicit SharedBlock(size_t bytes) : bytes_(bytes) {
    void *p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    ptr_ = p == MAP_FAILED ? nullptr : p;
  }
  ~SharedBlock() {
    if (ptr_) munmap(ptr_, bytes_);
  }
  SharedBlock(const SharedBlock &) = delete;
  SharedBlock &operator=(const SharedBlock &) = delete;
  [[nodiscard]] void *get() const { return ptr_; }

private:
  size_t bytes_;
  void *ptr_ = nullptr;
};

/// Wait for child `pid` to exit, or kill it at `deadline`. Polls with a
/// growing sleep (0.2 ms to 20 ms): no pipe, whose write end other threads'
/// children could inherit and hold open. Its wait status.
int reap(pid_t pid, std::chrono::steady_clock::time_point deadline, bool &killed) {
  int st = 0;
  auto nap = std::chrono::microseconds(200);
  for (;;) {
    const pid_t got = waitpid(pid, &st, WNOHANG);
    if (got == pid || (got < 0 && errno != EINTR)) return st;
    if (std::chrono::steady_clock::now() >= deadline) break;
    std::this_thread::sleep_for(nap);
    nap = std::min(nap * 2, std::chrono::microseconds(20000));
  }
  kill(pid, SIGKILL);
  killed = true;
  while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
  }
  return st;
}

/// Proved optimal, feasible, infeasible or nothing, from a finished CBC run.
MipResult &finish(const Mip &mip, MipResult &r, const Outcome &o, const double *x, double seconds,
                  std::chrono::steady_clock::time_point t0) {
  // Proved optimal only when the search completed: status 0 with secondary
  // 0, or secondary 1 ("nothing beats the cutoff", the warm start) when the
  // solve ended well before the time limit or the start costs nothing.
  // Stopped on time, CBC can also say 0/1 and call its warm start optimal.
  const bool early = o.elapsed < 0.8 * seconds;
  const double obj = o.hasBest ? mip.objectiveOf(x) : 0;
  const bool completed = o.status == 0 && (o.secondary == 0 || (o.secondary == 1 && (early || (o.hasBest && obj < 0.5))));
  const bool optimal = completed && o.proven;
  if (o.hasBest) {
    r.found = true;
    if (r.x.data() != x) r.x.assign(x, x + mip.numVars());
    r.objective = obj;
    r.status = optimal ? "optimal" : "feasible";
    // A stopped search's bound counts only if it is below the best (else unknown: -1).
    r.bound = optimal ? std::max(0.0, obj) : o.possible < obj - 0.5 ? std::max(0.0, o.possible) : -1;
  } else if (o.status == 0 && o.secondary == 1 && early) {  // not stopped on time
    r.status = "infeasible";
  } else {
    r.bound = o.possible > -1e20 && o.possible < 1e20 ? std::max(0.0, o.possible) : -1;
  }
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return r;
}

}  // namespace

double Mip::hardLimit(double seconds, bool cpuTime) {
  const double wall = seconds + std::max(2.0, 0.5 * seconds);
  return cpuTime ? 4 * wall : wall;
}

MipResult Mip::solve(double seconds, bool log, const std::vector<double> *warm, bool cpuTime) const {
  const auto t0 = std::chrono::steady_clock::now();
  const int nc = static_cast<int>(lb_.size()), nr = static_cast<int>(rowLo_.size());
  MipResult r;
  if (nc == 0) {  // nothing to decide
    r.status = "optimal";
    r.found = true;
    return r;
  }
  // Compressed columns: count, prefix sums, then place each triplet.
  Csc p;
  p.start.assign(static_cast<size_t>(nc) + 1, 0);
  for (int c : tripCol_) ++p.start[static_cast<size_t>(c) + 1];
  for (size_t c = 0; c < static_cast<size_t>(nc); ++c) p.start[c + 1] += p.start[c];
  std::vector<CoinBigIndex> next(p.start.begin(), p.start.end() - 1);
  p.index.resize(tripRow_.size());
  p.value.resize(tripRow_.size());
  for (size_t k = 0; k < tripRow_.size(); ++k) {
    auto at = static_cast<size_t>(next[static_cast<size_t>(tripCol_[k])]++);
    p.index[at] = tripRow_[k];
    p.value[at] = tripVal_[k];
  }

  SharedBlock shared(sizeof(Outcome) + sizeof(double) * static_cast<size_t>(nc));
  auto *out = static_cast<Outcome *>(shared.get());
  auto *x = reinterpret_cast<double *>(out + 1);
  pid_t pid = -1;
  if (out && solveIsolation() == SolveIsolation::ChildProcess) {
    *out = Outcome{};
    pid = fork();
  }
  bool killed = false, crashed = false;
  if (pid == 0) {  // the child: solve, publish, leave without running the parent's exit handlers
    if (solveStallForTesting()) pause();  // the watchdog test: a solve that never ends
    runCbc(p, nc, nr, lb_.data(), ub_.data(), obj_.data(), integer_.data(), rowLo_.data(), rowHi_.data(), seconds,
           log, warm, cpuTime, out, x);
    _exit(0);
  } else if (pid > 0) {
    const auto deadline = t0 + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                   std::chrono::duration<double>(hardLimit(seconds, cpuTime)));
    const int st = reap(pid, deadline, killed);
    crashed = !killed && !(WIFEXITED(st) && WEXITSTATUS(st) == 0);
  } else {  // no child (no memory or processes left): solve here, one at a time (CbcMain1 has global state)
    static std::mutex cbcMutex;
    std::lock_guard<std::mutex> lock(cbcMutex);
    std::vector<double> local(static_cast<size_t>(nc));
    Outcome o;
    runCbc(p, nc, nr, lb_.data(), ub_.data(), obj_.data(), integer_.data(), rowLo_.data(), rowHi_.data(), seconds,
           log, warm, cpuTime, &o, local.data());
    r.x = std::move(local);
    return finish(*this, r, o, r.x.data(), seconds, t0);
  }
  if (killed || crashed) {
    r.stopped = killed ? "hard time limit" : "solver crashed";
    if (warm && warm->size() == static_cast<size_t>(nc)) {  // the start is a solution: keep it, with no bound
      r.found = true;
      r.x = *warm;
      r.objective = objectiveOf(r.x.data());
      r.status = "feasible";
      r.bound = -1;
    } else {
      r.bound = -1;
    }
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return r;
  }
  return finish(*this, r, *out, x, seconds, t0);
}

namespace {
std::atomic<int> isolationOverride{-1};
std::atomic<bool> stall{false};
}  // namespace

SolveIsolation solveIsolation() {
  const int o = isolationOverride.load();
  if (o >= 0) return static_cast<SolveIsolation>(o);
#if defined(__SANITIZE_ADDRESS__)
  // clang-14's ASan runtime takes no allocator lock around fork(): a child
  // forked while another thread allocates could deadlock. Sanitizer builds
  // solve in process (the watchdog test opts back in, single-threaded).
  return SolveIsolation::InProcess;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
  return SolveIsolation::InProcess;
#endif
#endif
  return SolveIsolation::ChildProcess;
}

void setSolveIsolationForTesting(SolveIsolation mode) { isolationOverride.store(static_cast<int>(mode)); }
void resetSolveIsolationForTesting() { isolationOverride.store(-1); }
void setSolveStallForTesting(bool on) { stall.store(on); }
bool solveStallForTesting() { return stall.load(); }

double Mip::objectiveOf(const double *x) const {
  double obj = 0;
  for (size_t c = 0; c < obj_.size(); ++c) obj += obj_[c] * x[c];
  return obj;
}

}  // namespace vcr::optimal
