#ifndef GATEHOUSE_GLOBAL_EXECUTOR_HOOK_H
#define GATEHOUSE_GLOBAL_EXECUTOR_HOOK_H

/// Where the Swift runtime keeps its global-enqueue hook (`swift_task_enqueueGlobal_hook`),
/// found by the linker: a --static-swift-stdlib binary hides the symbol from `dlsym`, which is
/// how swift-nio's own take-over looks for it.
void *_Nullable *_Nonnull gatehouse_swift_task_enqueueGlobal_hook(void);

#endif
