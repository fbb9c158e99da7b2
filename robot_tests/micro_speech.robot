*** Settings ***
Documentation     micro_speech from audio on every board (examples/micro_speech): the
...               audio preprocessor (TFLM Signal ops) over each 1 s clip's 49 windows,
...               features bit-exact with TFLM, then the classifier gives the clip's label
...               (TFLM's answers: yes, no, silence, and silence for the noise clip). Both
...               shared preprocessors also match TFLM over real then random audio.
Resource          resources/tfm.resource
Library           ${CURDIR}/../examples/micro_speech/MicroSpeechLibrary.py
Test Template     Micro Speech Should Work On Board
Test Tags         micro_speech    shared


*** Variables ***
# TFLM's audio preprocessor costs about 110K instructions per 30 ms frame on mps2-an386.
${TFLM_INSTRUCTIONS_PER_FRAME}    110000


*** Test Cases ***
host             host
m4-256k          m4-256k
mps2-an385       mps2-an385
mps2-an386       mps2-an386
mps2-an500       mps2-an500
mps3-an547       mps3-an547
netduinoplus2    netduinoplus2
riscv32-virt     riscv32-virt


*** Keywords ***
Micro Speech Should Work On Board
    [Arguments]    ${board}
    Set Tags    board:${board}
    Board Should Have A Simulator    ${board}
    Preprocessor Should Match TFLM On Audio    ${board}    int8
    Preprocessor Should Match TFLM On Audio    ${board}    float
    ${per_frame}=    Clip Should Be Recognised    ${board}    yes    yes
    Clip Should Be Recognised    ${board}    no    no
    Clip Should Be Recognised    ${board}    silence    silence
    Clip Should Be Recognised    ${board}    noise    silence
    IF    '${board}' == 'mps2-an386'
        Should Be True    0 < ${per_frame} < ${TFLM_INSTRUCTIONS_PER_FRAME}
        ...    preprocessor: ${per_frame} instructions per frame, TFLM ~${TFLM_INSTRUCTIONS_PER_FRAME}
    END
