package namespace

import "syscall"

const sysFstatat = syscall.SYS_NEWFSTATAT
