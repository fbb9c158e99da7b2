*** Settings ***
Documentation     The example vendor plugin (examples/acme_vendor, package acme-tfm): its
...               board acme-m4-256k and its kernel set acme-fast (FULLY_CONNECTED int8 on
...               the Armv7E-M DSP), installed through the `tfm_ci` entry point with
...               `pip install --no-deps -e examples/acme_vendor`. acme-fast must stay
...               bit-exact with TFLite and with the reference kernels, and be cheaper.
Resource          ../resources/tfm.resource
Library           fc_models.py
Suite Setup       Acme Plugin Should Be Installed
Test Tags         vendor    board:acme-m4-256k


*** Variables ***
${BOARD}          acme-m4-256k
${FAST}           acme-fast


*** Test Cases ***
Acme Board Comes From The Vendor Platform
    ${platform}=    Board Platform    ${BOARD}
    Should Be Equal    ${platform}    acme
    ${budget}=    Board Budget    ${BOARD}
    Should Be Equal As Integers    ${budget}[flash]    1048576
    Should Be Equal As Integers    ${budget}[ram]    262144
    ${sets}=    Kernel Sets Of Board    ${BOARD}
    Should Be Equal    ${sets}    ${{ ["reference", "acme-fast"] }}
    ${builtin}=    Built In Boards
    List Should Not Contain Value    ${builtin}    ${BOARD}

Acme Kernel Set Is Refused On Other Boards
    ${model}=    Demo Model Path    sine
    ${job}=    Run Model On Board    ${model}    mps2-an386    kernels=${FAST}
    Job Should Fail With    ERROR    unknown kernel set 'acme-fast'

Models Pass On The Acme Board With acme-fast
    [Template]    Model Should Run On Board
    sine    ${BOARD}    ${FAST}
    sine_float    ${BOARD}    ${FAST}
    kws    ${BOARD}    ${FAST}
    tiny_conv    ${BOARD}    ${FAST}

Shared Models Pass On The Acme Board With acme-fast
    [Tags]    shared
    [Template]    Model Should Run On Board
    hello_world_int8    ${BOARD}    ${FAST}
    hello_world_float    ${BOARD}    ${FAST}
    micro_speech_quantized    ${BOARD}    ${FAST}
    person_detect    ${BOARD}    ${FAST}

acme-fast Is Bit-exact On Odd Depths, Offsets And Batches
    [Documentation]    Int8 FC models built for the 4-wide loop's edge cases, 8 random
    ...    invocations each: identical to the reference kernels and to TFLite.
    ${paths}=    Write FC Test Models    ${OUTPUT DIR}/models/fc
    FOR    ${path}    IN    @{paths}
        FC Model Should Be Bit-exact    ${path}
    END

acme-fast Takes Fewer Instructions Than The Reference
    ${model}=    Demo Model Path    sine
    ${ref}=    Run Model On Board    ${model}    ${BOARD}    kernels=reference
    ${fast}=    Run Model On Board    ${model}    ${BOARD}    kernels=${FAST}
    Job Should Pass    ${ref}
    Job Should Pass    ${fast}
    ${n_ref}=    Instructions Per Invocation    ${ref}
    ${n_fast}=    Instructions Per Invocation    ${fast}
    Log    reference ${n_ref}, acme-fast ${n_fast} instructions per invocation
    Should Be True    ${n_fast} < ${n_ref}
    Instructions Should Be At Most    ${n_ref}    ${fast}


*** Keywords ***
Acme Plugin Should Be Installed
    ${source}=    Plugin Should Be Loaded    acme
    Should Start With    ${source}    acme-tfm
    ...    acme must come from its entry point (pip install --no-deps -e examples/acme_vendor)
    Board Should Have A Simulator    ${BOARD}

FC Model Should Be Bit-exact
    [Arguments]    ${path}
    ${ref}=    Run Model On Board    ${path}    ${BOARD}    kernels=reference    invocations=8
    ${fast}=    Run Model On Board    ${path}    ${BOARD}    kernels=${FAST}    invocations=8
    Outputs Should Be Identical    ${ref}    ${fast}
    Job Should Pass    ${fast}
    Outputs Should Match TFLite    ${fast}
