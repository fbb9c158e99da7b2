*** Settings ***
Documentation     The plugin registry: built-in boards, simulators, no plugin errors.
Resource          resources/tfm.resource
Test Tags         plugins


*** Variables ***
@{EXPECTED BOARDS}    host    mps2-an385    mps2-an386    mps2-an500    mps3-an547
...                   netduinoplus2    riscv32-virt


*** Test Cases ***
Built-in Plugins Load Without Errors
    Plugin Errors Should Be Empty
    FOR    ${plugin}    IN    tfm_host    tfm_arm    tfm_riscv    tfm_native    tfm_qemu
        ${source}=    Plugin Should Be Loaded    ${plugin}
        Should Be Equal    ${source}    builtin
    END

Every Expected Board Is Built In
    ${boards}=    Built In Boards
    FOR    ${board}    IN    @{EXPECTED BOARDS}
        List Should Contain Value    ${boards}    ${board}
    END

Every Built-in Board Has An Installed Simulator
    ${boards}=    Built In Boards
    ${runnable}=    Boards With Available Simulator    ${boards}
    Lists Should Be Equal    ${runnable}    ${boards}

Every Board Has The Reference Kernel Set
    ${boards}=    Built In Boards
    FOR    ${board}    IN    @{boards}
        ${sets}=    Kernel Sets Of Board    ${board}
        List Should Contain Value    ${sets}    reference
    END

Unknown Board Lists The Known Ones
    Run Keyword And Expect Error    unknown board 'nope' (known: *mps2-an386*)
    ...    Board Should Exist    nope

Test-only Plugin Loads And Unloads
    ${name}=    Load Plugin    ${FAULTS_PLUGIN}
    ${source}=    Plugin Should Be Loaded    ${name}
    Should Start With    ${source}    loaded by Robot
    ${boards}=    Built In Boards
    List Should Not Contain Value    ${boards}    faults-an386
    ${sets}=    Kernel Sets Of Board    faults-an386
    Should Be Equal    ${sets}    ${{ ["reference", "fault", "hang", "extra-ops"] }}
    [Teardown]    Unload Plugin    tfm_faults
