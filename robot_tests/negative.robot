*** Settings ***
Documentation     Jobs that MUST fail, with the right status and the engine's message:
...               budget overflows, a firmware fault, a timeout, bad names.
...               Fault, hang and tiny-budget boards come from the test-only plugin
...               robot_tests/plugins/tfm_faults, loaded here without touching core files.
Resource          resources/tfm.resource
Suite Setup       Load Plugin    ${FAULTS_PLUGIN}
Suite Teardown    Unload Plugin    tfm_faults
Test Tags         negative


*** Test Cases ***
User Arena Limit Overflow Fails With The Budget Text
    [Tags]    budget    model:sine    board:mps2-an386
    ${model}=    Demo Model Path    sine
    ${job}=    Run Model On Board    ${model}    mps2-an386    limits=arena=256B
    Job Should Fail With    FAIL    ^arena [\\d,]+ B > 256 B \\(user limit\\)$
    Outputs Should Match TFLite    ${job}
    Run Keyword And Expect Error    arena * B > 256 B (user limit)
    ...    Arena Should Be At Most    256B    ${job}

User RAM Limit Overflow Names Every Part Of RAM
    [Tags]    budget    model:person_detect    board:netduinoplus2
    ${model}=    Shared Model Path    person_detect
    ${job}=    Run Model On Board    ${model}    netduinoplus2    limits=ram=64KiB
    Job Should Fail With    FAIL
    ...    RAM [\\d,]+ B > 65,536 B \\(user limit; static [\\d,]+ \\+ arena [\\d,]+ \\+ stack [\\d,]+\\)
    RAM Should Be Within Budget    ${job}

Board Budget Overflow Fails With The Budget Text
    [Tags]    budget    model:sine    board:tiny-an386
    ${model}=    Demo Model Path    sine
    ${job}=    Run Model On Board    ${model}    tiny-an386    arena=4KiB
    Job Should Fail With    FAIL
    ...    flash [\\d,]+ B > 16,384 B on tiny-an386; RAM [\\d,]+ B > 2,048 B on tiny-an386 \\(static [\\d,]+ \\+ arena [\\d,]+ \\+ stack [\\d,]+\\)
    Run Keyword And Expect Error    REGEXP: RAM [\\d,]+ B > 2,048 B on tiny-an386 \\(static .*
    ...    RAM Should Be Within Budget    ${job}
    Run Keyword And Expect Error    REGEXP: flash [\\d,]+ B > 16,384 B on tiny-an386
    ...    Flash Should Be Within Budget    ${job}

Arena Too Small For The Model Fails
    [Tags]    budget    model:kws    board:mps2-an386
    ${model}=    Demo Model Path    kws
    ${job}=    Run Model On Board    ${model}    mps2-an386    arena=512B
    Job Should Fail With    FAIL    ARENA_TOO_SMALL .*needed=\\d+

Tight Instruction Limit Fails
    [Tags]    budget    model:sine    board:mps2-an386
    ${model}=    Demo Model Path    sine
    ${job}=    Run Model On Board    ${model}    mps2-an386    limits=instructions=100
    Job Should Fail With    FAIL    ^instructions [\\d,]+ > 100 \\(user limit\\)$
    Run Keyword And Expect Error    instructions * > 100 (user limit)
    ...    Instructions Should Be At Most    100    ${job}

Firmware Fault Reports FAULT With The PC
    [Tags]    fault    model:sine    board:faults-an386
    ${model}=    Demo Model Path    sine
    ${job}=    Run Model On Board    ${model}    faults-an386    kernels=fault    timeout=30
    Job Should Fail With    FAULT    Fault at pc=0x0*100$
    Run Keyword And Expect Error    *outputs were not compared*
    ...    Outputs Should Match TFLite    ${job}

Kernel That Never Returns Times Out
    [Tags]    timeout    model:sine    board:faults-an386
    ${model}=    Demo Model Path    sine
    ${job}=    Run Model On Board    ${model}    faults-an386    kernels=hang    timeout=3
    Job Should Fail With    TIMEOUT    ^no END after 3 s

Same Board With Reference Kernels Passes
    [Documentation]    The fault and hang come from the kernel sets, not the board.
    [Tags]    model:sine    board:faults-an386
    Model Should Run On Board    sine    faults-an386

Unknown Kernel Set Is A Config Error
    [Tags]    config
    ${model}=    Demo Model Path    sine
    ${job}=    Run Model On Board    ${model}    mps2-an386    kernels=no-such-set
    Job Should Fail With    ERROR    unknown kernel set 'no-such-set'

Unknown Board Is A Config Error
    [Tags]    config
    ${model}=    Demo Model Path    sine
    ${job}=    Run Model On Board    ${model}    no-such-board
    Job Should Fail With    ERROR    unknown board 'no-such-board' \\(known: .*mps2-an386
