/* RISC-V (RV32, machine mode) entry for QEMU `virt` with `-bios none`:
 * stack, thread pointer (picolibc keeps errno in TLS), trap vector, then C.
 * Linker symbols come from firmware/ports/riscv-virt/linker.ld.j2. */
#if defined(__riscv)
    .section .text.start, "ax", @progbits
    .global _start
_start:
    .option push
    .option norelax
    la      sp, __stack_top
    la      tp, __tls_base
    .option pop
    la      t0, tfm_rv_trap_entry
    csrw    mtvec, t0
    call    tfm_rv_init
    call    main
    call    tfm_port_exit
1:  j       1b

/* Direct-mode trap vector (must be 4-byte aligned): report and exit. */
    .text
    .balign 4
    .global tfm_rv_trap_entry
tfm_rv_trap_entry:
    csrr    a0, mcause
    csrr    a1, mepc
    csrr    a2, mtval
    mv      a3, sp
    mv      a4, ra
    call    tfm_rv_trap_report
2:  j       2b
#endif
