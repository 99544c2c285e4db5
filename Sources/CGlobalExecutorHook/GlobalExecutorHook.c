#include "CGlobalExecutorHook.h"

extern void *swift_task_enqueueGlobal_hook;

void **gatehouse_swift_task_enqueueGlobal_hook(void) {
    return &swift_task_enqueueGlobal_hook;
}
