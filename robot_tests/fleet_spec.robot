*** Settings ***
Documentation     A small fleet spec run through the engine behind `tfm-ci fleet run`: every job
...               passes (or is skipped with its reason), records land in the results folder,
...               a rerun reuses them, and a bad spec fails naming the key.
Resource          resources/tfm.resource
Library           OperatingSystem
Suite Setup       Write Small Fleet
Test Tags         fleet-spec


*** Variables ***
${DIR}            ${OUTPUT DIR}/fleet_spec
${SPEC}           ${DIR}/fleet.toml
${RESULTS}        ${DIR}/results


*** Test Cases ***
Small Fleet Passes
    ${fleet}=    Run Fleet Spec    ${SPEC}    results=${RESULTS}    fresh=${True}
    Fleet Should Pass    ${fleet}
    Fleet Job Count Should Be    8    fleet=${fleet}
    Fleet Job Count Should Be    2    SKIP    fleet=${fleet}
    ${job}=    Fleet Job Record    mps2-an386    models/kws.tflite    arm-dsp    fleet=${fleet}
    Outputs Should Match TFLite    ${job}
    RAM Should Be Within Budget    ${job}
    ${skip}=    Fleet Job Record    host    kws.tflite    arm-dsp    fleet=${fleet}
    Job Should Fail With    SKIP    does not offer kernel set 'arm-dsp'    ${skip}
    File Should Exist    ${RESULTS}/fleet.json
    ${records}=    List Files In Directory    ${RESULTS}/records    *.json
    Length Should Be    ${records}    8

Rerun Reuses Every Record
    ${fleet}=    Run Fleet Spec    ${SPEC}    results=${RESULTS}
    Fleet Should Pass    ${fleet}
    ${reused}=    Get Length    ${fleet.reused}
    Should Be Equal As Integers    ${reused}    8

A Failing Job Fails The Fleet Check With Its Reason
    Create File    ${DIR}/tight.toml
    ...    boards = ["mps2-an386"]\nmodels = ["models/*.tflite"]\n[limits]\ninstructions = 10000\n
    ${fleet}=    Run Fleet Spec    ${DIR}/tight.toml    results=${DIR}/tight
    Run Keyword And Expect Error    *1 of 2 job(s) did not pass*kws.tflite@mps2-an386*budget*
    ...    Fleet Should Pass    ${fleet}

A Bad Spec Names The Key
    [Tags]    negative    config
    Create File    ${DIR}/bad.toml    boards = ["mps2-*", "nope"]\nmodels = ["models/*.tflite"]\n
    Run Keyword And Expect Error    *bad.toml: boards: unknown board 'nope'*
    ...    Run Fleet Spec    ${DIR}/bad.toml


*** Keywords ***
Write Small Fleet
    Demo Model Path    sine    ${DIR}/models
    Demo Model Path    kws    ${DIR}/models
    Create File    ${SPEC}
    ...    boards = ["host", "mps2-an386"]\nmodels = ["models/*.tflite"]\nkernel_sets = ["reference", "arm-dsp"]\ninvocations = 2\n
