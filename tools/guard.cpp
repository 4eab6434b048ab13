// The guard: vcr-ra first, the legacy ladder only if vcr-ra fails.
#include "tools/guard.h"

#include "ladder/ladder.h"

namespace vcr::tools {

GuardedAllocation guardedAllocate(alloc::Allocator &primary, const mir::Function &f,
                                  const mir::Module &m, const alloc::AllocOptions &opt) {
  GuardedAllocation g;
  g.result = primary.allocate(f, m, opt);
  if (g.result.ok) return g;
  ladder::LegacyEnv env;  // the ladder's temps come from the same pool
  env.temps = opt.pool.regs.list();
  ladder::LadderResult lr = ladder::runLadder(f, m, env);
  g.firing = LadderFiring{f.name, lr.rung, g.result.error};
  if (lr.result.ok) g.result = std::move(lr.result);
  return g;
}

}  // namespace vcr::tools
